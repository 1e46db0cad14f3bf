package io.seckill.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka cluster in KRaft mode, on fixed loopback ports, its servers inside this JVM or each
 * a process of its own.
 *
 * <p>One broker runs as a combined broker+controller. Three brokers get a separate single
 * controller, so that stopping (or killing) any broker never touches the metadata quorum; brokers
 * are numbered 0..n-1 here (node ids 1..n).
 */
public final class EmbeddedKafka {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final StackDir stackDir;
  private final boolean processes;
  private final List<KafkaNode> brokers = new ArrayList<>();
  private final List<Integer> brokerPorts;
  private final KafkaNode controller;
  private final String bootstrap;

  /**
   * @param processes true: every server is a {@code kafka.Kafka} process of its own (a broker can
   *     then be SIGKILLed); false: they all run inside this JVM
   */
  EmbeddedKafka(StackDir stackDir, int brokerCount, boolean processes) {
    if (brokerCount != 1 && brokerCount != 3) {
      throw new IllegalArgumentException("kafka runs with 1 or 3 brokers, not " + brokerCount);
    }
    this.stackDir = stackDir;
    this.processes = processes;
    if (!processes) {
      KafkaExitGuard.install();
    }
    Path dir = stackDir.subdir("kafka");
    List<Integer> ports = Ports.free(brokerCount + 1);
    this.brokerPorts = ports.subList(0, brokerCount);
    int controllerPort = ports.get(brokerCount);
    if (brokerCount == 1) {
      String voters = voter(1, controllerPort);
      Path logDir = dir.resolve("node-1");
      brokers.add(
          node(
              "kafka-node-1",
              1,
              KafkaNodeConfig.combined(1, brokerPorts.get(0), controllerPort, logDir, voters),
              logDir,
              brokerPorts.get(0)));
      controller = null;
    } else {
      String voters = voter(0, controllerPort);
      Path controllerDir = dir.resolve("controller-0");
      controller =
          node(
              "kafka-controller-0",
              0,
              KafkaNodeConfig.controller(0, controllerPort, controllerDir, voters, brokerCount),
              controllerDir,
              controllerPort);
      for (int i = 0; i < brokerCount; i++) {
        int nodeId = i + 1;
        Path logDir = dir.resolve("broker-" + nodeId);
        brokers.add(
            node(
                "kafka-broker-" + nodeId,
                nodeId,
                KafkaNodeConfig.broker(nodeId, brokerPorts.get(i), logDir, voters, brokerCount),
                logDir,
                brokerPorts.get(i)));
      }
    }
    this.bootstrap =
        brokerPorts.stream()
            .map(port -> KafkaNodeConfig.HOST + ":" + port)
            .collect(Collectors.joining(","));
    String clusterId = Uuid.randomUuid().toString();
    allNodes().forEach(node -> node.format(clusterId));
  }

  public String bootstrapServers() {
    return bootstrap;
  }

  public int brokerCount() {
    return brokers.size();
  }

  /** Replication factor topics get by default: 1 with one broker, 3 with three. */
  public int replicationFactor() {
    return KafkaNodeConfig.replicationFactor(brokers.size());
  }

  /** Port of broker {@code index} (0-based). */
  public int brokerPort(int index) {
    return brokerPorts.get(index);
  }

  /** Node id of broker {@code index}, as partition metadata reports it. */
  public int brokerId(int index) {
    return brokers.get(index).nodeId();
  }

  /**
   * Index of the broker with this node id (the id partition metadata reports as leader or replica).
   */
  public int brokerIndex(int nodeId) {
    for (int i = 0; i < brokers.size(); i++) {
      if (brokers.get(i).nodeId() == nodeId) {
        return i;
      }
    }
    throw new IllegalArgumentException("no kafka broker has node id " + nodeId);
  }

  public boolean isBrokerRunning(int index) {
    return brokers.get(index).isRunning();
  }

  /** Whether every server is a process of its own, so that {@link #killBroker(int)} is possible. */
  public boolean runsAsProcesses() {
    return processes;
  }

  /**
   * Pid of broker {@code index}'s process; -1 while it is stopped or when the brokers run inside
   * this JVM.
   */
  public long brokerPid(int index) {
    return brokers.get(index) instanceof KafkaProcessNode process ? process.pid() : -1;
  }

  /** Starts every server not running, on the same ports and directories as before. */
  public synchronized void start() {
    long began = System.nanoTime();
    if (controller != null) {
      controller.start();
    }
    inParallel(brokers, KafkaNode::start);
    LOG.debug("kafka: servers up after {} ms", (System.nanoTime() - began) / 1_000_000);
    awaitBrokers(brokers.stream().map(KafkaNode::nodeId).collect(Collectors.toSet()));
    LOG.info(
        "kafka started: {} ({} {} {}, KRaft, replication factor {}) in {} ms",
        bootstrap,
        brokers.size(),
        brokers.size() == 1 ? "broker" : "brokers",
        processes ? "as processes" : "in this JVM",
        replicationFactor(),
        (System.nanoTime() - began) / 1_000_000);
  }

  public synchronized void stop() {
    inParallel(brokers, KafkaNode::stop);
    if (controller != null) {
      controller.stop();
    }
    LOG.debug("kafka stopped: {}", bootstrap);
  }

  /**
   * A controlled shutdown of one broker (SIGTERM when it is a process): its partition leaderships
   * move to the others first.
   */
  public synchronized void stopBroker(int index) {
    brokers.get(index).stop();
    LOG.debug("kafka broker {} stopped (port {})", brokerId(index), brokerPort(index));
  }

  /**
   * Output files of the server processes (none when they run in this JVM); deleted with the stack.
   */
  public List<Path> serverLogs() {
    return allNodes().stream()
        .filter(KafkaProcessNode.class::isInstance)
        .map(KafkaProcessNode.class::cast)
        .map(KafkaProcessNode::outputFile)
        .toList();
  }

  /**
   * SIGKILL of one broker's process, as in a crash: no controlled shutdown, so its partitions keep
   * it as leader until the controller fences it (broker.session.timeout.ms), and it recovers its
   * log at restart.
   */
  public synchronized void killBroker(int index) {
    if (!(brokers.get(index) instanceof KafkaProcessNode process)) {
      throw new UnsupportedOperationException(
          "kafka broker "
              + brokerId(index)
              + " runs inside this JVM and cannot be"
              + " killed alone; start the stack with DevStack.Options#withKafkaProcesses(true)");
    }
    process.kill();
    LOG.debug("kafka broker {} killed (port {})", brokerId(index), brokerPort(index));
  }

  /**
   * Restarts one broker on its old port and log directory and waits until the cluster has it back.
   */
  public synchronized void startBroker(int index) {
    brokers.get(index).start();
    awaitBrokers(Set.of(brokerId(index)));
    LOG.debug("kafka broker {} started (port {})", brokerId(index), brokerPort(index));
  }

  private KafkaNode node(
      String name, int nodeId, Map<String, String> settings, Path logDir, int listenerPort) {
    return processes
        ? new KafkaProcessNode(stackDir, name, nodeId, settings, logDir, listenerPort)
        : new InJvmKafkaNode(nodeId, settings, logDir);
  }

  private static String voter(int nodeId, int controllerPort) {
    return nodeId + "@" + KafkaNodeConfig.HOST + ":" + controllerPort;
  }

  private List<KafkaNode> allNodes() {
    List<KafkaNode> nodes = new ArrayList<>();
    if (controller != null) {
      nodes.add(controller);
    }
    nodes.addAll(brokers);
    return nodes;
  }

  /**
   * A broker's startup can return before it is unfenced; only the cluster metadata says it serves.
   */
  private void awaitBrokers(Set<Integer> expected) {
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
            AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 50);
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (Admin admin = Admin.create(config)) {
      while (true) {
        Set<Integer> seen = Set.of();
        try {
          seen =
              admin
                  .describeCluster(new DescribeClusterOptions().timeoutMs(5_000))
                  .nodes()
                  .get(6, TimeUnit.SECONDS)
                  .stream()
                  .map(Node::id)
                  .collect(Collectors.toSet());
        } catch (Exception e) {
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
          }
        }
        if (seen.containsAll(expected)) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "kafka brokers "
                  + expected
                  + " not serving after "
                  + READY_TIMEOUT
                  + "; the cluster shows "
                  + seen);
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void inParallel(List<KafkaNode> nodes, Consumer<KafkaNode> action) {
    if (nodes.size() == 1) {
      action.accept(nodes.get(0));
      return;
    }
    try {
      CompletableFuture.allOf(
              nodes.stream()
                  .map(
                      node ->
                          CompletableFuture.runAsync(
                              () -> action.accept(node), DaemonThreads.executor()))
                  .toArray(CompletableFuture[]::new))
          .join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
    }
  }
}
