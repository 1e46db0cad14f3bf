package io.seckill.infra;

/**
 * One KRaft server of the dev cluster (broker, controller or both), however it runs: inside this
 * JVM ({@link InJvmKafkaNode}) or as a {@code kafka.Kafka} process of its own ({@link
 * KafkaProcessNode}). A node keeps its settings, ports and directory across restarts.
 */
interface KafkaNode {

  int nodeId();

  /** What {@code kafka-storage.sh format} does; once, before the first start. */
  void format(String clusterId);

  boolean isRunning();

  /**
   * Starts the server if it is not running; returns once it has started (not necessarily joined the
   * cluster).
   */
  void start();

  /** A clean shutdown (a broker's leaderships move to the others first); nothing if not running. */
  void stop();
}
