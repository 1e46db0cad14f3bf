package io.seckill.platform.config;

import static io.seckill.platform.config.Ranges.atLeast;
import static io.seckill.platform.config.Ranges.between;
import static io.seckill.platform.config.Ranges.notBlank;

/**
 * The names and shapes of every topic. Tests pass random names so they never see each other's
 * records.
 */
public record Topics(
    String orders,
    String delay,
    String deadLetter,
    int ordersPartitions,
    short replicationFactor,
    int minInsyncReplicas) {

  public Topics {
    notBlank(Settings.TOPIC_ORDERS, orders);
    notBlank(Settings.TOPIC_DELAY, delay);
    notBlank(Settings.TOPIC_DEAD_LETTER, deadLetter);
    atLeast(Settings.ORDERS_PARTITIONS, ordersPartitions, 1);
    atLeastOne(Settings.REPLICATION_FACTOR, replicationFactor);
    // acks=all could never be met with more in-sync replicas required than there are replicas.
    between(Settings.MIN_INSYNC_REPLICAS, minInsyncReplicas, 1, replicationFactor);
  }

  private static void atLeastOne(Setting s, int value) {
    between(s, value, 1, Short.MAX_VALUE);
  }

  public static Topics from(Env env) {
    return new Topics(
        env.get(Settings.TOPIC_ORDERS),
        env.get(Settings.TOPIC_DELAY),
        env.get(Settings.TOPIC_DEAD_LETTER),
        env.getInt(Settings.ORDERS_PARTITIONS),
        replicationFactor(env),
        env.getInt(Settings.MIN_INSYNC_REPLICAS));
  }

  /**
   * Read as an int and checked before it is narrowed, so 65,537 is refused rather than becoming 1.
   */
  private static short replicationFactor(Env env) {
    int value = env.getInt(Settings.REPLICATION_FACTOR);
    atLeastOne(Settings.REPLICATION_FACTOR, value);
    return (short) value;
  }
}
