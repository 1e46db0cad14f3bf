package io.seckill.delay;

import io.seckill.platform.kafka.ConsumerPolicy;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the delay service plugs into the shared consumer loop: each level's records held until due,
 * ready ones acted on by the batch runner on the service's Vert.x context, and the levels' state
 * published as gauges.
 */
final class DeadlinePolicy implements ConsumerPolicy<Batch, LevelQueue> {
  private static final Logger log = LoggerFactory.getLogger(DeadlinePolicy.class);

  private final DelayConfig config;
  private final Context context;
  private final BatchRunner runner;
  private final DelayStats stats;

  DeadlinePolicy(DelayConfig config, Context context, BatchRunner runner, DelayStats stats) {
    this.config = config;
    this.context = context;
    this.runner = runner;
    this.stats = stats;
  }

  @Override
  public LevelQueue assigned(TopicPartition partition) {
    return new LevelQueue(partition, config.levels(), config.batchSize());
  }

  @Override
  public void run(Batch batch, Consumer<Throwable> done) {
    ConsumerPolicy.runOn(context, () -> runner.run(batch), done);
  }

  @Override
  public void failed(Batch batch, int attempt, long retryInMillis, Throwable failure) {
    stats.failedBatches.increment();
    log.warn(
        "deadline batch of level {} (offsets {}..{}) failed, attempt {}, retrying in {} ms: {}",
        batch.partition().partition(),
        batch.firstOffset(),
        batch.lastOffset(),
        attempt,
        retryInMillis,
        failure.toString());
  }

  @Override
  public void sampled(long nowMillis, List<Sample<LevelQueue>> partitions) {
    List<DelayStats.Level> out = new ArrayList<>(partitions.size());
    for (Sample<LevelQueue> s : partitions) {
      LevelQueue q = s.lane();
      int level = q.level();
      long delay = level < config.levels().count() ? config.levels().delayMillis(level) : 0;
      long head = q.readyAt();
      long headReadyIn = head == Long.MAX_VALUE ? -1 : head <= nowMillis ? 0 : head - nowMillis;
      out.add(new DelayStats.Level(level, delay, s.lag(), q.buffered(), headReadyIn));
    }
    stats.levels(out);
  }
}
