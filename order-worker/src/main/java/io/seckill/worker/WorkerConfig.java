package io.seckill.worker;

import io.seckill.platform.config.Env;
import io.seckill.platform.config.Servers;
import io.seckill.platform.config.Setting;
import io.seckill.platform.config.Settings;
import io.seckill.platform.contract.DelayLevels;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Everything an order worker is configured by, read once at start so a bad value fails there, not
 * mid-drain. There is one constructor: a test sets what it needs through the same settings as
 * production (Env), defaults included.
 *
 * @param concurrency writes in flight at once; a write takes every partition's batch waiting for it
 *     (up to batchSize records), so a live stream's small per-partition batches share one claim,
 *     one INSERT and one forget
 * @param batchSize most records of one partition handled together, and most records in one write
 * @param linger longest wait for more records before a write of fewer than batchSize starts (zero:
 *     at once)
 * @param fetchMinBytes the consumer's fetch.min.bytes: the broker answers a fetch once this much is
 *     there...
 * @param fetchMaxWait ...or after this long (fetch.max.wait.ms)
 * @param commitEvery commit once this many records finished since the last commit...
 * @param commitInterval ...or once this much time passed, whichever comes first
 * @param maxBackoff longest pause between retries of a failing step
 * @param closeTimeout how long a graceful close waits for in-flight batches before dropping them
 * @param sessionTimeout consumer session timeout (a silent member is evicted after it)
 * @param maxPollInterval consumer max.poll.interval.ms (a member that stops polling leaves the
 *     group after it)
 */
public record WorkerConfig(
    Servers servers,
    String group,
    String clientId,
    int concurrency,
    int batchSize,
    Duration linger,
    int fetchMinBytes,
    Duration fetchMaxWait,
    int commitEvery,
    Duration commitInterval,
    Duration maxBackoff,
    Duration closeTimeout,
    DelayLevels delayLevels,
    Duration sessionTimeout,
    Duration maxPollInterval) {
  /**
   * Sanity bounds: each batch in flight holds its records in memory and a share of the PostgreSQL
   * pool.
   */
  static final int MAX_CONCURRENCY = 256;

  static final int MAX_BATCH_SIZE = 1_000_000;

  /**
   * Waits for a fuller write or fetch are a latency traded for cost: beyond a second an order would
   * sit idle longer than it takes to write a large batch.
   */
  static final Duration MAX_LINGER = Duration.ofSeconds(1);

  /**
   * The consumer's own fetch.max.bytes (50 MiB): a fetch never waits for more than it may carry.
   */
  static final int MAX_FETCH_MIN_BYTES = 50 * 1024 * 1024;

  /**
   * How long close() waits for batches in flight: a few slow INSERTs, well inside a supervisor's
   * stop timeout.
   */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);

  /**
   * A partition may buffer this many records (or two batches, if more) before it stops fetching.
   */
  static final int MIN_BUFFERED_PER_PARTITION = 500;

  /** Kafka takes its timeouts as int milliseconds. */
  private static final long MAX_KAFKA_MILLIS = Integer.MAX_VALUE;

  public WorkerConfig {
    if (group == null || group.isBlank())
      throw new IllegalArgumentException(Settings.WORKER_GROUP.env() + " must not be empty");
    if (clientId == null || clientId.isBlank())
      throw new IllegalArgumentException("an order worker needs a client id");
    between(Settings.WORKER_CONCURRENCY, concurrency, 1, MAX_CONCURRENCY);
    between(Settings.WORKER_BATCH_SIZE, batchSize, 1, MAX_BATCH_SIZE);
    between(Settings.WORKER_LINGER_MS, linger.toMillis(), 0, MAX_LINGER.toMillis());
    between(Settings.WORKER_FETCH_MIN_BYTES, fetchMinBytes, 1, MAX_FETCH_MIN_BYTES);
    between(Settings.WORKER_FETCH_MAX_WAIT_MS, fetchMaxWait.toMillis(), 0, MAX_LINGER.toMillis());
    between(Settings.WORKER_COMMIT_EVERY, commitEvery, 1, Integer.MAX_VALUE);
    between(Settings.WORKER_COMMIT_INTERVAL_MS, commitInterval.toMillis(), 1, MAX_KAFKA_MILLIS);
    between(Settings.WORKER_MAX_BACKOFF_MS, maxBackoff.toMillis(), 1, MAX_KAFKA_MILLIS);
    between(Settings.WORKER_SESSION_TIMEOUT_MS, sessionTimeout.toMillis(), 1, MAX_KAFKA_MILLIS);
    between(Settings.WORKER_MAX_POLL_INTERVAL_MS, maxPollInterval.toMillis(), 1, MAX_KAFKA_MILLIS);
    if (closeTimeout.isNegative())
      throw new IllegalArgumentException("the close timeout must not be negative: " + closeTimeout);
    if (delayLevels == null)
      throw new IllegalArgumentException(Settings.DELAY_LEVELS.env() + " must be set");
  }

  public static WorkerConfig from(Env env) {
    return new WorkerConfig(
        Servers.from(env),
        env.get(Settings.WORKER_GROUP),
        defaultClientId(),
        env.getInt(Settings.WORKER_CONCURRENCY),
        env.getInt(Settings.WORKER_BATCH_SIZE),
        env.getMillis(Settings.WORKER_LINGER_MS),
        env.getInt(Settings.WORKER_FETCH_MIN_BYTES),
        env.getMillis(Settings.WORKER_FETCH_MAX_WAIT_MS),
        env.getInt(Settings.WORKER_COMMIT_EVERY),
        env.getMillis(Settings.WORKER_COMMIT_INTERVAL_MS),
        env.getMillis(Settings.WORKER_MAX_BACKOFF_MS),
        CLOSE_TIMEOUT,
        DelayLevels.from(env),
        env.getMillis(Settings.WORKER_SESSION_TIMEOUT_MS),
        env.getMillis(Settings.WORKER_MAX_POLL_INTERVAL_MS));
  }

  /**
   * Records a partition may hold fetched but unfinished before it is paused: enough to cut the next
   * batch at once.
   */
  int maxBufferedPerPartition() {
    return Math.max(2 * batchSize, MIN_BUFFERED_PER_PARTITION);
  }

  private static void between(Setting setting, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          setting.env() + " must be between " + min + " and " + max + ", not " + value);
    }
  }

  // Broker logs and consumer-group listings name the process, so an operator can tell workers
  // apart.
  private static String defaultClientId() {
    return "order-worker-" + ManagementFactory.getRuntimeMXBean().getName().replace('@', '-');
  }
}
