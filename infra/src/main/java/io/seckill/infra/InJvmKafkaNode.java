package io.seckill.infra;

import java.nio.file.Path;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/**
 * One KRaft server inside this JVM. A restart builds a new server from the same settings and
 * directory: a stopped KafkaRaftServer cannot be started again.
 */
final class InJvmKafkaNode implements KafkaNode {

  private final int nodeId;
  private final Map<String, String> settings;
  private final Path logDir;
  private KafkaRaftServer server;

  InJvmKafkaNode(int nodeId, Map<String, String> settings, Path logDir) {
    this.nodeId = nodeId;
    this.settings = Map.copyOf(settings);
    this.logDir = logDir;
  }

  @Override
  public int nodeId() {
    return nodeId;
  }

  @Override
  public void format(String clusterId) {
    KafkaStorage.format(nodeId, settings, logDir, clusterId);
  }

  @Override
  public synchronized boolean isRunning() {
    return server != null;
  }

  @Override
  public synchronized void start() {
    if (server != null) {
      return;
    }
    KafkaRaftServer fresh = new KafkaRaftServer(new KafkaConfig(settings, false), Time.SYSTEM);
    try {
      fresh.startup();
    } catch (RuntimeException e) {
      fresh.shutdown();
      fresh.awaitShutdown();
      throw e;
    }
    server = fresh;
  }

  @Override
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.shutdown();
    server.awaitShutdown();
    server = null;
  }
}
