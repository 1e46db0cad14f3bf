package io.seckill.worker;

import io.seckill.platform.kafka.ConsumerPolicy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the order worker plugs into the shared consumer loop: batches cut per partition as records
 * come, written by the batch processor on the worker's Vert.x context, and the loop's timings
 * counted in the worker's stats.
 *
 * <p>Writes, not batches, are what cost: each is a claim and a forget in Redis, a deadline record
 * per sale and an INSERT. Under a live stream one partition's batch holds the few dozen orders that
 * arrived while its last one was written, so the batches waiting here are written together: at most
 * {@code concurrency} writes in flight, each taking every batch waiting (up to {@code batchSize}
 * records). The busier the pipeline, the larger the writes; on an idle one a lone order is written
 * at once (unless a linger is set). Each batch still ends through its own {@code done}, so the loop
 * commits a partition only past finished work, as before.
 */
final class OrderPolicy implements ConsumerPolicy<Batch, PartitionWork> {
  private static final Logger log = LoggerFactory.getLogger(OrderPolicy.class);

  private final WorkerConfig config;
  private final Context context;
  private final BatchProcessor processor;
  private final WorkerStats stats;

  /** Batches handed out in the loop's current round (consumer thread only). */
  private List<Waiting> round = new ArrayList<>();

  /** Batches waiting for a write (worker context only), and the writes in flight. */
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();

  private long waitingRecords;
  private int writing;
  private long lingerTimer = -1;

  private record Waiting(Batch batch, Consumer<Throwable> done, long sinceNanos) {}

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
    round.add(new Waiting(batch, done, 0));
  }

  @Override
  public void dispatched() {
    List<Waiting> batches = round;
    round = new ArrayList<>();
    context.runOnContext(
        v -> {
          long now = System.nanoTime();
          for (Waiting w : batches) {
            waiting.add(new Waiting(w.batch(), w.done(), now));
            waitingRecords += w.batch().records();
          }
          write();
        });
  }

  /** On the context: starts writes while a slot is free and the waiting batches are due. */
  private void write() {
    while (writing < config.concurrency() && !waiting.isEmpty()) {
      long lingered = System.nanoTime() - waiting.peekFirst().sinceNanos();
      long left = config.linger().toNanos() - lingered;
      if (waitingRecords < config.batchSize() && left > 0) {
        if (lingerTimer < 0)
          lingerTimer =
              context
                  .owner()
                  .setTimer(
                      Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)),
                      id -> {
                        lingerTimer = -1;
                        write();
                      });
        return;
      }
      List<Waiting> taken = new ArrayList<>();
      long records = 0;
      // At least one batch; then as many as fit in batchSize records.
      while (!waiting.isEmpty()
          && (taken.isEmpty()
              || records + waiting.peekFirst().batch().records() <= config.batchSize())) {
        Waiting w = waiting.pollFirst();
        records += w.batch().records();
        taken.add(w);
      }
      waitingRecords -= records;
      writing++;
      List<Batch> batches = new ArrayList<>(taken.size());
      for (Waiting w : taken) batches.add(w.batch());
      Future<Void> written;
      try {
        written = processor.process(batches);
      } catch (RuntimeException e) {
        written = Future.failedFuture(e);
      }
      written.onComplete(
          ar -> {
            writing--;
            Throwable failure = ar.succeeded() ? null : ar.cause();
            for (Waiting w : taken) w.done().accept(failure);
            write();
          });
    }
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
