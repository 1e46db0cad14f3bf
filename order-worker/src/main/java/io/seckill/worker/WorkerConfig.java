package io.seckill.worker;

import io.seckill.platform.config.Env;
import io.seckill.platform.config.Servers;
import io.seckill.platform.config.Settings;
import io.seckill.platform.contract.DelayLevels;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Everything an order worker is configured by, read once at start so a bad value fails there, not mid-drain.
 *
 * @param concurrency    batches in flight at once, across all partitions of this worker
 * @param batchSize      most records of one partition handled (and inserted) together
 * @param commitEvery    commit once this many records finished since the last commit...
 * @param commitInterval ...or once this much time passed, whichever comes first
 * @param maxBackoff     longest pause between retries of a failing step
 * @param closeTimeout   how long a graceful close waits for in-flight batches before dropping them
 * @param sessionTimeout  consumer session timeout (a silent member is evicted after it)
 * @param maxPollInterval consumer max.poll.interval.ms (a member that stops polling leaves the group after it)
 */
public record WorkerConfig(Servers servers, String group, String clientId, int concurrency, int batchSize, int commitEvery,
                           Duration commitInterval, Duration maxBackoff, Duration closeTimeout, DelayLevels delayLevels,
                           Duration sessionTimeout, Duration maxPollInterval) {

  public WorkerConfig {
    if (concurrency < 1) throw new IllegalArgumentException(Settings.WORKER_CONCURRENCY.env() + " must be at least 1");
    if (batchSize < 1) throw new IllegalArgumentException(Settings.WORKER_BATCH_SIZE.env() + " must be at least 1");
    if (commitEvery < 1) throw new IllegalArgumentException(Settings.WORKER_COMMIT_EVERY.env() + " must be at least 1");
    if (commitInterval.isNegative() || commitInterval.isZero()) {
      throw new IllegalArgumentException(Settings.WORKER_COMMIT_INTERVAL_MS.env() + " must be positive");
    }
    if (maxBackoff.toMillis() < 1) throw new IllegalArgumentException(Settings.WORKER_MAX_BACKOFF_MS.env() + " must be positive");
    if (sessionTimeout.toMillis() < 1) throw new IllegalArgumentException(Settings.WORKER_SESSION_TIMEOUT_MS.env() + " must be positive");
    if (maxPollInterval.toMillis() < 1) {
      throw new IllegalArgumentException(Settings.WORKER_MAX_POLL_INTERVAL_MS.env() + " must be positive");
    }
  }

  /** With the Kafka client's own session timeout and poll interval (45 s, 5 min). */
  public WorkerConfig(Servers servers, String group, String clientId, int concurrency, int batchSize, int commitEvery,
                      Duration commitInterval, Duration maxBackoff, Duration closeTimeout, DelayLevels delayLevels) {
    this(servers, group, clientId, concurrency, batchSize, commitEvery, commitInterval, maxBackoff, closeTimeout, delayLevels,
        Duration.ofSeconds(45), Duration.ofMinutes(5));
  }

  public static WorkerConfig from(Env env) {
    return new WorkerConfig(Servers.from(env), env.get(Settings.WORKER_GROUP), defaultClientId(),
        env.getInt(Settings.WORKER_CONCURRENCY), env.getInt(Settings.WORKER_BATCH_SIZE), env.getInt(Settings.WORKER_COMMIT_EVERY),
        env.getMillis(Settings.WORKER_COMMIT_INTERVAL_MS), env.getMillis(Settings.WORKER_MAX_BACKOFF_MS), Duration.ofSeconds(15),
        DelayLevels.from(env), env.getMillis(Settings.WORKER_SESSION_TIMEOUT_MS), env.getMillis(Settings.WORKER_MAX_POLL_INTERVAL_MS));
  }

  /** Records a partition may hold fetched but unfinished before it is paused: enough to cut the next batch at once. */
  int maxBufferedPerPartition() {
    return Math.max(2 * batchSize, 500);
  }

  public WorkerConfig withClientId(String id) {
    return new WorkerConfig(servers, group, id, concurrency, batchSize, commitEvery, commitInterval, maxBackoff, closeTimeout,
        delayLevels, sessionTimeout, maxPollInterval);
  }

  // Broker logs and consumer-group listings name the process, so an operator can tell workers apart.
  private static String defaultClientId() {
    return "order-worker-" + ManagementFactory.getRuntimeMXBean().getName().replace('@', '-');
  }
}
