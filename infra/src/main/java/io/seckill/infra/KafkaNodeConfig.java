package io.seckill.infra;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Broker and controller settings for the dev cluster: small buffers and few threads, because up to
 * four servers share the test JVM (or, as processes, the machine) on 2 cores, and zero delays,
 * because tests wait on them.
 */
final class KafkaNodeConfig {

  static final String BROKER_LISTENER = "PLAINTEXT";
  static final String CONTROLLER_LISTENER = "CONTROLLER";
  static final String HOST = "127.0.0.1";

  private KafkaNodeConfig() {}

  /** Broker and controller in one server: the single-broker stack. */
  static Map<String, String> combined(
      int nodeId, int brokerPort, int controllerPort, Path logDir, String voters) {
    Map<String, String> config = common(nodeId, logDir, voters);
    config.put("process.roles", "broker,controller");
    config.put(
        "listeners",
        listener(BROKER_LISTENER, brokerPort)
            + ","
            + listener(CONTROLLER_LISTENER, controllerPort));
    config.put("advertised.listeners", listener(BROKER_LISTENER, brokerPort));
    config.putAll(brokerSettings(1));
    config.putAll(replication(1));
    return config;
  }

  static Map<String, String> controller(
      int nodeId, int controllerPort, Path logDir, String voters, int brokers) {
    Map<String, String> config = common(nodeId, logDir, voters);
    config.putAll(replication(brokers));
    config.put("process.roles", "controller");
    config.put("listeners", listener(CONTROLLER_LISTENER, controllerPort));
    return config;
  }

  static Map<String, String> broker(
      int nodeId, int brokerPort, Path logDir, String voters, int brokers) {
    Map<String, String> config = common(nodeId, logDir, voters);
    config.put("process.roles", "broker");
    config.put("listeners", listener(BROKER_LISTENER, brokerPort));
    config.put("advertised.listeners", listener(BROKER_LISTENER, brokerPort));
    config.putAll(brokerSettings(brokers));
    Map<String, String> replication = replication(brokers);
    // the controller picks a new topic's replication factor; a broker-only node warns about this
    // setting
    replication.remove("default.replication.factor");
    config.putAll(replication);
    return config;
  }

  private static Map<String, String> common(int nodeId, Path logDir, String voters) {
    Map<String, String> config = new HashMap<>();
    config.put("node.id", String.valueOf(nodeId));
    config.put("log.dirs", logDir.toString());
    config.put("controller.quorum.voters", voters);
    config.put("controller.listener.names", CONTROLLER_LISTENER);
    config.put(
        "listener.security.protocol.map",
        BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    config.put("inter.broker.listener.name", BROKER_LISTENER);
    config.put("num.network.threads", "2");
    config.put("num.io.threads", "2");
    config.put("background.threads", "2");
    config.put("num.recovery.threads.per.data.dir", "1");
    config.put("log.cleaner.threads", "1");
    // the default is 128 MiB per server, allocated as soon as the cleaner starts
    config.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
    config.put("broker.heartbeat.interval.ms", "500");
    return config;
  }

  /*
   * One broker cannot replicate, so it runs at replication factor 1 for everything, internal topics too.
   * Three brokers run as production would: RF 3, min ISR 2, no unclean election, so acks=all keeps
   * working with one broker down and never loses an acknowledged write. In KRaft the controller creates
   * topics and elects leaders, so it needs these as much as the brokers do.
   */
  private static Map<String, String> replication(int brokers) {
    Map<String, String> config = new HashMap<>();
    config.put("default.replication.factor", Integer.toString(replicationFactor(brokers)));
    config.put("min.insync.replicas", Integer.toString(minIsr(brokers)));
    config.put("unclean.leader.election.enable", "false");
    return config;
  }

  private static Map<String, String> brokerSettings(int brokers) {
    String replication = Integer.toString(replicationFactor(brokers));
    String minIsr = Integer.toString(minIsr(brokers));
    Map<String, String> config = new HashMap<>();
    config.put("offsets.topic.replication.factor", replication);
    config.put("offsets.topic.num.partitions", "1");
    config.put("transaction.state.log.replication.factor", replication);
    config.put("transaction.state.log.min.isr", minIsr);
    config.put("transaction.state.log.num.partitions", "1");
    config.put("share.coordinator.state.topic.replication.factor", replication);
    config.put("share.coordinator.state.topic.min.isr", minIsr);
    config.put("share.coordinator.state.topic.num.partitions", "1");
    config.put("group.initial.rebalance.delay.ms", "0");
    config.put("group.coordinator.threads", "1");
    config.put("num.replica.fetchers", "1");
    return config;
  }

  static int replicationFactor(int brokers) {
    return brokers >= 3 ? 3 : 1;
  }

  private static int minIsr(int brokers) {
    return brokers >= 3 ? 2 : 1;
  }

  private static String listener(String name, int port) {
    return name + "://" + HOST + ":" + port;
  }
}
