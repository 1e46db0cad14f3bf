package io.seckill.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.config.Env;
import io.seckill.platform.config.Settings;
import io.seckill.platform.contract.OrderMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The consumer thread against Kafka's MockConsumer, with batches finished by hand: ordering, commits, pausing. */
class ConsumerLoopTest {
  private static final String TOPIC = "orders";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

  /** Every commit the loop makes, in order (MockConsumer's own bookkeeping forgets revoked partitions). */
  private final List<Map<TopicPartition, OffsetAndMetadata>> commits = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest") {
    @Override
    public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
      commits.add(Map.copyOf(offsets));
      super.commitSync(offsets, timeout);
    }
  };
  private final BlockingQueue<Running> running = new LinkedBlockingQueue<>();
  private final WorkerStats stats = new WorkerStats();
  private ConsumerLoop loop;
  private Thread thread;

  private record Running(Batch batch, Consumer<Throwable> done) {
  }

  private void start(int batchSize) {
    WorkerConfig config = WorkerConfig.from(new Env(Map.of(
        Settings.WORKER_BATCH_SIZE.env(), Integer.toString(batchSize),
        Settings.WORKER_CONCURRENCY.env(), "4",
        Settings.WORKER_COMMIT_EVERY.env(), "1",
        Settings.WORKER_COMMIT_INTERVAL_MS.env(), "10")));
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    consumer.updateEndOffsets(Map.of(P0, 0L, P1, 0L));
    loop = new ConsumerLoop(consumer, TOPIC, config, stats, (batch, done) -> running.add(new Running(batch, done)));
    consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0, P1)));
    thread = new Thread(loop, "test-consumer");
    thread.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (loop == null) return;
    loop.halt();
    thread.join(5000);
  }

  @Test
  void batches_of_one_partition_run_one_at_a_time_and_commits_stop_at_the_first_unfinished_one() throws Exception {
    start(10);
    add(P0, 0, 30);
    add(P1, 0, 10);
    Running a = next();
    Running b = next();
    assertThat(List.of(a.batch().partition(), b.batch().partition())).containsExactlyInAnyOrder(P0, P1);
    assertThat(running.poll(300, TimeUnit.MILLISECONDS)).as("P0's second batch waits for its first").isNull();

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
  void a_partition_with_a_full_buffer_is_paused_and_resumed_once_it_drains() throws Exception {
    start(100);
    add(P0, 0, 1_000);
    Running first = next();
    eventually(() -> consumer.paused().contains(P0));
    first.done().accept(null);
    // 900 left: about 7 more batches bring it under half of the 500-record limit.
    for (int i = 0; i < 7; i++) next().done().accept(null);
    eventually(() -> !consumer.paused().contains(P0));
  }

  @Test
  void a_revoked_partition_commits_what_finished_and_ignores_what_finishes_later() throws Exception {
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
  void a_batch_given_up_on_stop_is_neither_committed_nor_retried() throws Exception {
    start(10);
    add(P0, 0, 10);
    next().done().accept(new java.util.concurrent.CancellationException("stopping"));
    assertThat(running.poll(300, TimeUnit.MILLISECONDS)).isNull();
    assertThat(committed(P0)).isEqualTo(-1);
  }

  private void add(TopicPartition tp, long from, int count) {
    consumer.schedulePollTask(() -> {
      for (long o = from; o < from + count; o++) {
        OrderMessage m = new OrderMessage(1000 + o, 7, "u" + o, 1, 1_700_000_000_000L, 60);
        consumer.addRecord(new ConsumerRecord<>(TOPIC, tp.partition(), o, Long.toString(m.orderId()), m.toBytes()));
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
    for (Map<TopicPartition, OffsetAndMetadata> c : commits) {
      OffsetAndMetadata o = c.get(tp);
      if (o != null) {
        assertThat(o.offset()).as("commits of a partition only move forward").isGreaterThan(last);
        last = o.offset();
      }
    }
    return last;
  }

  private static void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
