package io.seckill.platform.config;

/** The names and shapes of every topic. Tests pass random names so they never see each other's records. */
public record Topics(String orders, String delay, String deadLetter, int ordersPartitions, short replicationFactor,
                     int minInsyncReplicas) {

  public static Topics from(Env env) {
    return new Topics(env.get(Settings.TOPIC_ORDERS), env.get(Settings.TOPIC_DELAY), env.get(Settings.TOPIC_DEAD_LETTER),
        env.getInt(Settings.ORDERS_PARTITIONS), (short) env.getInt(Settings.REPLICATION_FACTOR),
        env.getInt(Settings.MIN_INSYNC_REPLICAS));
  }
}
