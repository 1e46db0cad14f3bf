package io.seckill.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.config.Env;
import io.seckill.platform.config.Settings;
import io.seckill.platform.contract.OrderMessage;
import io.seckill.platform.kafka.Backoff;
import io.seckill.platform.store.OrderStore.Owner;
import io.seckill.worker.BatchProcessorTest.FakeOutbox;
import io.seckill.worker.BatchProcessorTest.FakeRows;
import io.seckill.worker.BatchProcessorTest.FakeStock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The worker's writes: batches of several partitions handed out together share one write, no more
 * writes run at once than the concurrency, a write never exceeds the batch size, a linger holds a
 * lone batch only until it fills or expires, and every batch still ends through its own done.
 */
class OrderPolicyTest {
  private final Vertx vertx = Vertx.vertx();
  private final WorkerStats stats = new WorkerStats();
  private final FakeStock stock = new FakeStock();
  private final HeldRows rows = new HeldRows();
  private final Retrier retrier = new Retrier(vertx, new Backoff(Duration.ofMillis(20)), stats);
  private long nextOffset;
  private Context context;

  @AfterEach
  void close() {
    vertx.close();
  }

  private OrderPolicy policy(int concurrency, int batchSize, int lingerMillis) {
    WorkerConfig config =
        WorkerConfig.from(
            new Env(
                Map.of(
                    Settings.WORKER_CONCURRENCY.env(), Integer.toString(concurrency),
                    Settings.WORKER_BATCH_SIZE.env(), Integer.toString(batchSize),
                    Settings.WORKER_LINGER_MS.env(), Integer.toString(lingerMillis))));
    BatchProcessor processor = new BatchProcessor(stock, rows, new FakeOutbox(), retrier, stats);
    context = vertx.getOrCreateContext();
    return new OrderPolicy(config, context, processor, stats);
  }

  @Test
  void batches_of_several_partitions_handed_out_in_one_round_are_written_together()
      throws Exception {
    OrderPolicy policy = policy(2, 10_000, 0);
    rows.holding = false;
    List<CompletableFuture<Throwable>> done = new ArrayList<>();
    for (int p = 0; p < 3; p++) done.add(run(policy, batch(p, 3)));
    policy.dispatched();
    for (CompletableFuture<Throwable> d : done) assertThat(d.get(5, TimeUnit.SECONDS)).isNull();
    assertThat(rows.inserted).hasSize(1);
    assertThat(rows.inserted.peek()).hasSize(9);
    assertThat(stock.claimSizes).containsExactly(9);
    assertThat(stats.batches()).isEqualTo(1);
    assertThat(stats.ordersInserted()).isEqualTo(9);
  }

  @Test
  void batches_arriving_while_every_write_is_in_flight_wait_and_then_go_out_as_one()
      throws Exception {
    OrderPolicy policy = policy(1, 10_000, 0);
    CompletableFuture<Throwable> first = run(policy, batch(0, 2));
    policy.dispatched();
    rows.awaitHeld(1);
    CompletableFuture<Throwable> second = run(policy, batch(1, 2));
    policy.dispatched();
    CompletableFuture<Throwable> third = run(policy, batch(2, 2));
    policy.dispatched();
    Thread.sleep(100);
    // One write at a time: the other two batches wait while the first one's insert is held.
    assertThat(rows.held).hasSize(1);
    assertThat(second).isNotDone();
    rows.holding = false;
    context.runOnContext(v -> rows.releaseAll());
    assertThat(first.get(5, TimeUnit.SECONDS)).isNull();
    assertThat(second.get(5, TimeUnit.SECONDS)).isNull();
    assertThat(third.get(5, TimeUnit.SECONDS)).isNull();
    assertThat(rows.inserted).extracting(List::size).containsExactly(2, 4);
  }

  @Test
  void a_write_takes_whole_batches_up_to_the_batch_size() throws Exception {
    OrderPolicy policy = policy(1, 5, 0);
    rows.holding = false;
    List<CompletableFuture<Throwable>> done = new ArrayList<>();
    for (int p = 0; p < 3; p++) done.add(run(policy, batch(p, 2)));
    policy.dispatched();
    for (CompletableFuture<Throwable> d : done) assertThat(d.get(5, TimeUnit.SECONDS)).isNull();
    assertThat(rows.inserted).extracting(List::size).containsExactly(4, 2);
  }

  @Test
  void a_linger_holds_a_short_write_until_it_fills_and_a_lone_batch_until_it_expires()
      throws Exception {
    OrderPolicy policy = policy(1, 4, 300);
    rows.holding = false;
    CompletableFuture<Throwable> first = run(policy, batch(0, 2));
    policy.dispatched();
    Thread.sleep(50);
    assertThat(rows.inserted).isEmpty();
    CompletableFuture<Throwable> second = run(policy, batch(1, 2));
    policy.dispatched();
    // Four records fill a write: it starts without waiting out the linger.
    assertThat(first.get(5, TimeUnit.SECONDS)).isNull();
    assertThat(second.get(5, TimeUnit.SECONDS)).isNull();
    assertThat(rows.inserted).extracting(List::size).containsExactly(4);

    long start = System.nanoTime();
    CompletableFuture<Throwable> lone = run(policy, batch(2, 1));
    policy.dispatched();
    assertThat(lone.get(5, TimeUnit.SECONDS)).isNull();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(ms(250));
    assertThat(rows.inserted).extracting(List::size).containsExactly(4, 1);
  }

  @Test
  void a_write_given_up_on_while_stopping_ends_each_of_its_batches_as_cancelled() throws Exception {
    OrderPolicy policy = policy(1, 10_000, 0);
    rows.failing = true;
    CompletableFuture<Throwable> a = run(policy, batch(0, 1));
    CompletableFuture<Throwable> b = run(policy, batch(1, 1));
    policy.dispatched();
    Thread.sleep(100);
    retrier.stop();
    assertThat(a.get(5, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
    assertThat(b.get(5, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
    assertThat(stock.forgotten).isEmpty();
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  private static CompletableFuture<Throwable> run(OrderPolicy policy, Batch batch) {
    CompletableFuture<Throwable> done = new CompletableFuture<>();
    policy.run(batch, done::complete);
    return done;
  }

  private Batch batch(int partition, int orders) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < orders; i++) {
      long offset = nextOffset++;
      OrderMessage m = new OrderMessage(offset + 1, 7, "user-" + offset, 1, 1_700_000_000_000L, 60);
      records.add(
          new ConsumerRecord<>(
              "orders", partition, offset, Long.toString(m.orderId()), m.toBytes()));
    }
    return Batch.of(new TopicPartition("orders", partition), records);
  }

  /** PostgreSQL as a table that may hold each insert until released, or look away. */
  private static final class HeldRows implements OrderRows {
    private final FakeRows table = new FakeRows();
    final Queue<List<OrderMessage>> inserted = new ConcurrentLinkedQueue<>();
    final Queue<Promise<Void>> held = new ConcurrentLinkedQueue<>();
    volatile boolean holding = true;
    volatile boolean failing;

    @Override
    public Future<List<Long>> insert(List<OrderMessage> orders, Instant createdAt) {
      if (failing) return Future.failedFuture(new VertxException("Connection refused"));
      inserted.add(List.copyOf(orders));
      if (!holding) return table.insert(orders, createdAt);
      Promise<Void> release = Promise.promise();
      held.add(release);
      return release.future().compose(v -> table.insert(orders, createdAt));
    }

    void awaitHeld(int n) throws InterruptedException {
      for (int i = 0; i < 500 && held.size() < n; i++) Thread.sleep(10);
      assertThat(held).hasSize(n);
    }

    void releaseAll() {
      for (Promise<Void> p; (p = held.poll()) != null; ) p.complete();
    }

    @Override
    public Future<List<Owner>> owners(List<Long> orderIds) {
      return table.owners(orderIds);
    }

    @Override
    public Future<Void> reject(OrderMessage order, String reason) {
      return table.reject(order, reason);
    }
  }
}
