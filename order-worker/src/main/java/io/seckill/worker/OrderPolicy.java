package io.seckill.worker;

import io.seckill.platform.kafka.ConsumerPolicy;
import io.vertx.core.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the order worker plugs into the shared consumer loop: batches cut per partition as records
 * come, written by the batch processor on the worker's Vert.x context, and the loop's timings
 * counted in the worker's stats.
 */
final class OrderPolicy implements ConsumerPolicy<Batch, PartitionWork> {
  private static final Logger log = LoggerFactory.getLogger(OrderPolicy.class);

  private final WorkerConfig config;
  private final Context context;
  private final BatchProcessor processor;
  private final WorkerStats stats;

  OrderPolicy(WorkerConfig config, Context context, BatchProcessor processor, WorkerStats stats) {
    this.config = config;
    this.context = context;
    this.processor = processor;
    this.stats = stats;
  }

  @Override
  public PartitionWork assigned(TopicPartition partition) {
    return new PartitionWork(partition, config.batchSize(), config.maxBufferedPerPartition());
  }

  @Override
  public void run(Batch batch, Consumer<Throwable> done) {
    ConsumerPolicy.runOn(context, () -> processor.process(batch), done);
  }

  @Override
  public void polled(int records, long nanos) {
    stats.consumed(records);
    stats.spent(WorkerStats.Step.POLL, nanos);
  }

  @Override
  public void committed(long nanos) {
    stats.committed(nanos / 1000);
    stats.spent(WorkerStats.Step.COMMIT, nanos);
  }

  @Override
  public void failed(Batch batch, int attempt, long retryInMillis, Throwable failure) {
    // The processor retries servers that are away itself; a batch that fails as a whole is a bug
    // worth a stack trace.
    log.error(
        "batch {} failed unexpectedly (attempt {}); trying it again in {} ms",
        batch.describe(),
        attempt,
        retryInMillis,
        failure);
  }

  @Override
  public void sampled(long nowMillis, List<Sample<PartitionWork>> partitions) {
    Map<String, Long> lag = new HashMap<>();
    for (Sample<PartitionWork> s : partitions)
      lag.put(s.partition().toString(), Math.max(0, s.lag()) + s.unfinished());
    stats.lag(lag);
  }
}
