package io.seckill.platform.kafka;

import java.time.Duration;

/**
 * How a {@link ConsumerLoop} runs; each service fills it from its own config record.
 *
 * @param topic the topic consumed
 * @param maxInFlight batches running at once, across every partition
 * @param commitEvery commit once this many records finished since the last commit...
 * @param commitInterval ...or once this much time passed, whichever comes first
 * @param maxBackoff longest pause before a failed batch is run again
 * @param drainTimeout how long a graceful stop waits for running batches before leaving them to be
 *     redelivered
 */
public record LoopSettings(
    String topic,
    int maxInFlight,
    long commitEvery,
    Duration commitInterval,
    Duration maxBackoff,
    Duration drainTimeout) {

  public LoopSettings {
    if (topic == null || topic.isBlank())
      throw new IllegalArgumentException("a consumer loop needs a topic");
    if (maxInFlight < 1)
      throw new IllegalArgumentException(
          "batches in flight must be at least 1, not " + maxInFlight);
    if (commitEvery < 1)
      throw new IllegalArgumentException(
          "commit-every must be at least 1 record, not " + commitEvery);
    if (commitInterval.toMillis() < 1)
      throw new IllegalArgumentException("commit interval must be at least 1 ms");
    if (maxBackoff.toMillis() < 1)
      throw new IllegalArgumentException("the back-off cap must be at least 1 ms");
    if (drainTimeout.isNegative())
      throw new IllegalArgumentException("drain timeout must not be negative");
  }
}
