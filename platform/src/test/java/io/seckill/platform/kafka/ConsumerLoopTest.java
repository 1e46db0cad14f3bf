package io.seckill.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared consumer loop against Kafka's MockConsumer, with a policy whose batches the test
 * finishes by hand: commits never pass unfinished work, revocation commits what finished, a halt
 * commits nothing, failures are retried, held records wake the loop when due, and full lanes pause
 * fetching.
 */
class ConsumerLoopTest {
  private static final String TOPIC = "orders";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

  /**
   * Every commit the loop makes, in order (MockConsumer's own bookkeeping forgets revoked
   * partitions).
   */
  private final List<Map<TopicPartition, OffsetAndMetadata>> commits = new CopyOnWriteArrayList<>();

  private final MockConsumer<String, byte[]> consumer =
      new MockConsumer<>("earliest") {
        @Override
        public synchronized void commitSync(
            Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
          commits.add(Map.copyOf(offsets));
          super.commitSync(offsets, timeout);
        }
      };
  private final BlockingQueue<Running> running = new LinkedBlockingQueue<>();
  private final List<TestBatch> failures = new CopyOnWriteArrayList<>();
  private volatile List<TopicPartition> sampled = List.of();

  /** "run P" per batch handed out and "round" per dispatched() call, in the order they came. */
  private final List<String> handedOut = new CopyOnWriteArrayList<>();

  private ConsumerLoop<TestBatch, TestLane> loop;
  private Thread thread;

  private record TestBatch(TopicPartition partition, long firstOffset, long lastOffset, int records)
      implements ConsumerPolicy.Work {}

  private record Running(TestBatch batch, Consumer<Throwable> done) {}

  /**
   * Cuts batches of up to batchSize records; an ordered lane runs one batch at a time (as the order
   * worker does), and records are held until heldUntil (as the delay service holds records not yet
   * due).
   */
  private static final class TestLane implements ConsumerPolicy.Lane<TestBatch> {
    final TopicPartition partition;
    final int batchSize;
    final boolean ordered;
    final long heldUntil;
    final int maxBuffered;
    final ArrayDeque<ConsumerRecord<String, byte[]>> buffer = new ArrayDeque<>();

    TestLane(
        TopicPartition partition, int batchSize, boolean ordered, long heldUntil, int maxBuffered) {
      this.partition = partition;
      this.batchSize = batchSize;
      this.ordered = ordered;
      this.heldUntil = heldUntil;
      this.maxBuffered = maxBuffered;
    }

    @Override
    public void add(List<ConsumerRecord<String, byte[]>> records) {
      buffer.addAll(records);
    }

    @Override
    public TestBatch next(int busy, long nowMillis) {
      if ((ordered && busy > 0) || buffer.isEmpty() || nowMillis < heldUntil) return null;
      long first = buffer.peekFirst().offset();
      long last = first;
      int n = 0;
      while (n < batchSize && !buffer.isEmpty()) {
        last = buffer.pollFirst().offset();
        n++;
      }
      return new TestBatch(partition, first, last, n);
    }

    @Override
    public long readyAt() {
      return buffer.isEmpty() ? Long.MAX_VALUE : heldUntil;
    }

    @Override
    public boolean holdFetching() {
      return buffer.size() >= maxBuffered;
    }

    @Override
    public int buffered() {
      return buffer.size();
    }

    @Override
    public void clear() {
      buffer.clear();
    }
  }

  /** Starts the loop on P0 and P1; the lanes it makes are described by the arguments. */
  private void start(
      int batchSize,
      boolean ordered,
      long heldUntil,
      int maxBuffered,
      long commitEvery,
      Duration commitInterval) {
    LoopSettings settings =
        new LoopSettings(
            TOPIC, 4, commitEvery, commitInterval, Duration.ofMillis(20), Duration.ofSeconds(5));
    loop =
        new ConsumerLoop<>(
            consumer,
            settings,
            new ConsumerPolicy<>() {
              @Override
              public TestLane assigned(TopicPartition partition) {
                return new TestLane(partition, batchSize, ordered, heldUntil, maxBuffered);
              }

              @Override
              public void run(TestBatch batch, Consumer<Throwable> done) {
                handedOut.add("run " + batch.partition().partition());
                running.add(new Running(batch, done));
              }

              @Override
              public void dispatched() {
                handedOut.add("round");
              }

              @Override
              public void failed(
                  TestBatch batch, int attempt, long retryInMillis, Throwable failure) {
                failures.add(batch);
              }

              @Override
              public void sampled(
                  long nowMillis, List<ConsumerPolicy.Sample<TestLane>> partitions) {
                sampled = partitions.stream().map(ConsumerPolicy.Sample::partition).toList();
              }
            });
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    consumer.updateEndOffsets(Map.of(P0, 0L, P1, 0L));
    consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0, P1)));
    thread = new Thread(loop, "test-consumer");
    thread.start();
  }

  private void start(int batchSize) {
    start(batchSize, true, 0, 500, 1, Duration.ofMillis(10));
  }

  @AfterEach
  void halt() throws Exception {
    if (loop == null) return;
    loop.halt();
    thread.join(5000);
  }

  @Test
  void an_ordered_lane_runs_one_batch_at_a_time_and_commits_stop_at_the_first_unfinished_one()
      throws Exception {
    start(10);
    add(P0, 0, 30);
    add(P1, 0, 10);
    Running a = next();
    Running b = next();
    assertThat(List.of(a.batch().partition(), b.batch().partition()))
        .containsExactlyInAnyOrder(P0, P1);
    assertThat(running.poll(300, TimeUnit.MILLISECONDS))
        .as("P0's second batch waits for its first")
        .isNull();

    Running p0 = a.batch().partition().equals(P0) ? a : b;
    Running p1 = p0 == a ? b : a;
    p1.done().accept(null);
    eventually(() -> committed(P1) == 10);
    assertThat(committed(P0)).isEqualTo(-1);

    p0.done().accept(null);
    Running second = next();
    assertThat(second.batch().partition()).isEqualTo(P0);
    assertThat(second.batch().firstOffset()).isEqualTo(10);
    eventually(() -> committed(P0) == 10);
  }

  @Test
  void batches_finishing_out_of_order_are_committed_only_up_to_the_first_unfinished_one()
      throws Exception {
    start(10, false, 0, 500, 1, Duration.ofMillis(10));
    add(P0, 0, 30);
    Running first = next();
    Running second = next();
    Running third = next();
    third.done().accept(null);
    second.done().accept(null);
    Thread.sleep(200);
    assertThat(committed(P0)).as("nothing past the unfinished first batch").isEqualTo(-1);
    first.done().accept(null);
    eventually(() -> committed(P0) == 30);
  }

  @Test
  void a_lane_that_holds_fetching_is_paused_and_resumed_once_it_drains() throws Exception {
    start(100, true, 0, 500, 1, Duration.ofMillis(10));
    add(P0, 0, 1_000);
    Running first = next();
    eventually(() -> consumer.paused().contains(P0));
    first.done().accept(null);
    // 900 buffered: five more batches bring it under the 500-record limit.
    for (int i = 0; i < 5; i++) next().done().accept(null);
    eventually(() -> !consumer.paused().contains(P0));
  }

  @Test
  void records_held_until_due_are_handed_out_when_due_without_new_records() throws Exception {
    long due = System.currentTimeMillis() + 400;
    start(100, false, due, 1, 1, Duration.ofMillis(10));
    add(P0, 0, 5);
    eventually(() -> consumer.paused().contains(P0));
    Running r = running.poll(5, TimeUnit.SECONDS);
    assertThat(r).as("handed out once due").isNotNull();
    assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(due);
    assertThat(r.batch().records()).isEqualTo(5);
    r.done().accept(null);
    eventually(() -> committed(P0) == 5);
    eventually(() -> !consumer.paused().contains(P0));
  }

  @Test
  void a_revoked_partition_commits_what_finished_and_ignores_what_finishes_later()
      throws Exception {
    start(10);
    add(P0, 0, 20);
    next().done().accept(null);
    Running late = next();
    eventually(() -> committed(P0) == 10);
    consumer.schedulePollTask(() -> consumer.rebalance(List.of(P1)));
    eventually(() -> !consumer.assignment().contains(P0));
    late.done().accept(null);
    Thread.sleep(200);
    assertThat(committed(P0)).isEqualTo(10);
  }

  @Test
  void a_failed_batch_is_run_again_after_a_back_off_and_committed_once_it_succeeds()
      throws Exception {
    start(10);
    add(P0, 0, 10);
    Running first = next();
    first.done().accept(new IllegalStateException("database away"));
    Running again = next();
    assertThat(again.batch()).isEqualTo(first.batch());
    assertThat(failures).containsExactly(first.batch());
    assertThat(committed(P0)).isEqualTo(-1);
    again.done().accept(null);
    eventually(() -> committed(P0) == 10);
  }

  @Test
  void a_batch_given_up_on_is_neither_committed_nor_retried() throws Exception {
    start(10);
    add(P0, 0, 10);
    next().done().accept(new CancellationException("stopping"));
    assertThat(running.poll(300, TimeUnit.MILLISECONDS)).isNull();
    assertThat(committed(P0)).isEqualTo(-1);
  }

  @Test
  void a_graceful_stop_waits_for_running_batches_and_commits_them() throws Exception {
    start(10, true, 0, 500, Long.MAX_VALUE, Duration.ofHours(1));
    add(P0, 0, 10);
    Running r = next();
    loop.stop();
    Thread.sleep(100);
    assertThat(loop.finished()).as("still waiting for the running batch").isNotDone();
    r.done().accept(null);
    loop.finished().get(5, TimeUnit.SECONDS);
    assertThat(committed(P0)).isEqualTo(10);
  }

  @Test
  void the_batches_handed_out_together_are_followed_by_one_end_of_round_and_idle_polls_by_none()
      throws Exception {
    start(10);
    consumer.schedulePollTask(
        () -> {
          for (TopicPartition tp : List.of(P0, P1))
            consumer.addRecord(
                new ConsumerRecord<>(
                    TOPIC, tp.partition(), 0, "0", "r".getBytes(StandardCharsets.UTF_8)));
        });
    next();
    next();
    eventually(() -> handedOut.contains("round"));
    Thread.sleep(300); // idle polls meanwhile: nothing handed out, so no round ends
    assertThat(handedOut).hasSize(3).endsWith("round");
    assertThat(handedOut.subList(0, 2)).containsExactlyInAnyOrder("run 0", "run 1");
  }

  @Test
  void a_halt_commits_nothing_not_even_finished_work() throws Exception {
    start(10, true, 0, 500, Long.MAX_VALUE, Duration.ofHours(1));
    add(P0, 0, 20);
    next().done().accept(null);
    Running second = next();
    loop.halt();
    loop.finished().get(5, TimeUnit.SECONDS);
    second.done().accept(null);
    assertThat(commits).isEmpty();
  }

  @Test
  void gauges_cover_the_partitions_owned_and_nothing_once_stopped() throws Exception {
    start(10);
    eventually(() -> sampled.size() == 2);
    consumer.schedulePollTask(() -> consumer.rebalance(List.of(P1)));
    eventually(() -> sampled.equals(List.of(P1)));
    loop.stop();
    loop.finished().get(5, TimeUnit.SECONDS);
    assertThat(sampled).isEmpty();
  }

  private void add(TopicPartition tp, long from, int count) {
    consumer.schedulePollTask(
        () -> {
          for (long o = from; o < from + count; o++) {
            consumer.addRecord(
                new ConsumerRecord<>(
                    TOPIC,
                    tp.partition(),
                    o,
                    Long.toString(o),
                    ("record " + o).getBytes(StandardCharsets.UTF_8)));
          }
        });
  }

  private Running next() throws InterruptedException {
    Running r = running.poll(5, TimeUnit.SECONDS);
    assertThat(r).as("a batch is dispatched").isNotNull();
    return r;
  }

  private long committed(TopicPartition tp) {
    long last = -1;
    for (Map<TopicPartition, OffsetAndMetadata> c : new ArrayList<>(commits)) {
      OffsetAndMetadata o = c.get(tp);
      if (o != null) {
        assertThat(o.offset()).as("commits of a partition only move forward").isGreaterThan(last);
        last = o.offset();
      }
    }
    return last;
  }

  private static void eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
