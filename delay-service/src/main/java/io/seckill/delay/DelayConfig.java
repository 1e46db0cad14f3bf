package io.seckill.delay;

import io.seckill.platform.config.Env;
import io.seckill.platform.config.Servers;
import io.seckill.platform.config.Setting;
import io.seckill.platform.config.Settings;
import io.seckill.platform.contract.DelayLevels;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Everything the delay service reads from its environment, read once at start so a bad value fails
 * there.
 *
 * @param batchSize most deadlines acted on in one batched UPDATE
 * @param maxInFlightBatches batches of deadlines being acted on at once
 * @param stockReturnsInFlight Redis stock returns pipelined at once per batch
 * @param commitInterval commit finished offsets at least this often
 * @param maxBackoff longest pause before a failed batch is tried again
 */
public record DelayConfig(
    Servers servers,
    DelayLevels levels,
    String group,
    String clientId,
    int batchSize,
    int maxInFlightBatches,
    int stockReturnsInFlight,
    Duration commitInterval,
    Duration maxBackoff) {
  /**
   * Sanity bounds: a batch is one UPDATE's id array; every batch in flight holds its deadlines in
   * memory.
   */
  static final int MAX_BATCH_SIZE = 100_000;

  static final int MAX_IN_FLIGHT = 256;

  /**
   * The Redis client's waiting queue is sized from in-flight × returns; this keeps that product
   * within an int.
   */
  static final int MAX_STOCK_RETURNS_IN_FLIGHT = 10_000;

  private static final long MAX_MILLIS = Integer.MAX_VALUE;

  public DelayConfig {
    if (group == null || group.isBlank())
      throw new IllegalArgumentException(Settings.DELAY_GROUP.env() + " must not be empty");
    if (levels == null)
      throw new IllegalArgumentException(Settings.DELAY_LEVELS.env() + " must be set");
    between(Settings.DELAY_BATCH_SIZE, batchSize, 1, MAX_BATCH_SIZE);
    between(Settings.DELAY_MAX_IN_FLIGHT, maxInFlightBatches, 1, MAX_IN_FLIGHT);
    between(
        Settings.DELAY_STOCK_RETURNS_IN_FLIGHT,
        stockReturnsInFlight,
        1,
        MAX_STOCK_RETURNS_IN_FLIGHT);
    between(Settings.DELAY_COMMIT_INTERVAL_MS, commitInterval.toMillis(), 1, MAX_MILLIS);
    between(Settings.DELAY_MAX_BACKOFF_MS, maxBackoff.toMillis(), 1, MAX_MILLIS);
  }

  public static DelayConfig from(Env env) {
    return new DelayConfig(
        Servers.from(env),
        DelayLevels.from(env),
        env.get(Settings.DELAY_GROUP),
        "delay-service-" + ManagementFactory.getRuntimeMXBean().getName(),
        env.getInt(Settings.DELAY_BATCH_SIZE),
        env.getInt(Settings.DELAY_MAX_IN_FLIGHT),
        env.getInt(Settings.DELAY_STOCK_RETURNS_IN_FLIGHT),
        env.getMillis(Settings.DELAY_COMMIT_INTERVAL_MS),
        env.getMillis(Settings.DELAY_MAX_BACKOFF_MS));
  }

  /**
   * How long a graceful stop waits for the batches in flight: each makes a few calls (PostgreSQL,
   * Redis) and Kafka sends, so two call timeouts plus a delivery timeout cover a batch that will
   * finish at all.
   */
  Duration drainTimeout() {
    return servers.callTimeout().multipliedBy(2).plus(servers.kafkaDeliveryTimeout());
  }

  private static void between(Setting setting, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          setting.env() + " must be between " + min + " and " + max + ", not " + value);
    }
  }
}
