package io.seckill.platform.kafka;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What a service plugs into {@link ConsumerLoop}: how one partition's fetched records become
 * batches ({@link Lane}), and how a batch is run. Everything else (polling, hand-back, commits,
 * rebalances, pausing, retries, shutdown) is the loop's, so every consumer keeps Kafka's delivery
 * rules the same way. The order worker cuts batches as records come; the delay service holds
 * records until they are due.
 *
 * @param <B> a batch: consecutive records of one partition, run and committed as one
 * @param <L> the service's per-partition state
 */
public interface ConsumerPolicy<B extends ConsumerPolicy.Work, L extends ConsumerPolicy.Lane<B>> {

  /**
   * A batch as the loop sees it: which offsets it covers, so they are committed only once it has
   * finished.
   */
  interface Work {
    TopicPartition partition();

    long firstOffset();

    long lastOffset();

    /** Kafka records it covers (what the count-based commit trigger adds up). */
    int records();
  }

  /**
   * One assigned partition's records not yet handed out. Confined to the consumer thread; a new one
   * per assignment.
   */
  interface Lane<B> {
    void add(List<ConsumerRecord<String, byte[]>> records);

    /**
     * The next batch to run now, or null. busy counts this partition's batches started and not
     * finished (a batch waiting for its retry included): a lane that keeps per-key order returns
     * null while it is not 0.
     */
    B next(int busy, long nowMillis);

    /**
     * When next may give a batch without new records (a held head falls due); Long.MAX_VALUE if
     * only records can.
     */
    long readyAt();

    /**
     * True while this partition should fetch no more (its lane is full, or holds records not yet
     * due).
     */
    boolean holdFetching();

    /** Records fetched and not yet handed out in a batch. */
    int buffered();

    /**
     * Forgets the records not handed out (stopping, revoked): they are fetched again by whoever
     * reads next.
     */
    void clear();
  }

  /**
   * One assigned partition as last seen, for gauges: records behind the log end (-1 unknown) and
   * unfinished here.
   */
  record Sample<L>(TopicPartition partition, L lane, long lag, long unfinished) {}

  /** A lane for a partition just assigned. */
  L assigned(TopicPartition partition);

  /**
   * Starts a batch off the consumer thread. done(null) once it has finished, done(failure) if it
   * failed (a CancellationException means it was given up on while stopping: neither retried nor
   * committed). Either may be called from any thread; the loop hands the outcome back to its own.
   */
  void run(B batch, Consumer<Throwable> done);

  /**
   * How a Vert.x service runs a batch: on its own context, the outcome (or anything the work throws
   * before it returns a future) handed to {@code done}.
   */
  static void runOn(Context context, Supplier<Future<?>> work, Consumer<Throwable> done) {
    context.runOnContext(
        v -> {
          try {
            work.get().onComplete(ar -> done.accept(ar.succeeded() ? null : ar.cause()));
          } catch (RuntimeException e) {
            done.accept(e);
          }
        });
  }

  /**
   * A round of {@link #run} calls has ended (on the consumer thread, after one or more batches were
   * handed out in one pass over the partitions): a policy that gathers the batches of one round and
   * writes them together starts them now. The loop's promises do not change: each batch still ends
   * through its own {@code done}, and its offsets are committed only after that.
   */
  default void dispatched() {}

  /** A poll returned records (after nanos). */
  default void polled(int records, long nanos) {}

  /** Offsets were committed (in nanos). */
  default void committed(long nanos) {}

  /** A batch failed and is retried after retryInMillis. */
  default void failed(B batch, int attempt, long retryInMillis, Throwable failure) {}

  /** About once a second: every assigned partition, for gauges. */
  default void sampled(long nowMillis, List<Sample<L>> partitions) {}
}
