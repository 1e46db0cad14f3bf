package io.seckill.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.inventory.Handoff;
import io.seckill.platform.contract.OrderMessage;
import io.seckill.platform.kafka.Backoff;
import io.seckill.platform.store.OrderStore.Deadline;
import io.seckill.platform.store.OrderStore.Owner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchProcessorTest {
  private static final long SALE = 7;
  private final Vertx vertx = Vertx.vertx();
  private final WorkerStats stats = new WorkerStats();
  private final FakeStock stock = new FakeStock();
  private final FakeRows rows = new FakeRows();
  private final FakeOutbox outbox = new FakeOutbox();
  private final Retrier retrier = new Retrier(vertx, new Backoff(Duration.ofMillis(20)), stats);
  private final BatchProcessor processor = new BatchProcessor(stock, rows, outbox, retrier, stats);

  @AfterEach
  void close() {
    vertx.close();
  }

  @Test
  void claimed_orders_become_rows_with_deadlines_and_their_reservations_are_dropped()
      throws Exception {
    run(batch(order(1), order(2), order(3)));
    assertThat(rows.persisted).containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(outbox.scheduled)
        .extracting(Deadline::orderId)
        .containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(stock.forgotten).containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(stats.ordersInserted()).isEqualTo(3);
    assertThat(stats.batches()).isEqualTo(1);
    assertThat(outbox.deadLetters).isEmpty();
  }

  @Test
  void a_big_batch_is_claimed_in_short_scripts_but_inserted_in_one_statement() throws Exception {
    List<OrderMessage> orders = new ArrayList<>();
    for (long id = 2500; id >= 1; id--) orders.add(order(id));
    run(batch(orders.toArray(OrderMessage[]::new)));
    assertThat(stock.claimSizes).containsExactlyInAnyOrder(1000, 1000, 500);
    assertThat(rows.inserts).isEqualTo(1);
    assertThat(rows.lastInsert).extracting(OrderMessage::orderId).isSorted();
    assertThat(stock.forgotten).hasSize(2500);
  }

  @Test
  void a_redelivered_batch_is_written_again_as_a_no_op_and_counted_as_duplicates()
      throws Exception {
    run(batch(order(1), order(2)));
    run(batch(order(1), order(2)));
    assertThat(rows.inserts).isEqualTo(2);
    assertThat(rows.persisted).hasSize(2);
    assertThat(stats.ordersInserted()).isEqualTo(2);
    assertThat(stats.duplicates()).isEqualTo(2);
  }

  @Test
  void the_same_order_twice_in_one_batch_is_written_once() throws Exception {
    run(batch(order(1), order(1), order(2)));
    assertThat(rows.lastInsert).extracting(OrderMessage::orderId).containsExactly(1L, 2L);
    assertThat(stats.duplicates()).isEqualTo(1);
  }

  @Test
  void an_unparseable_record_is_dead_lettered_and_its_neighbours_are_written() throws Exception {
    ConsumerRecord<String, byte[]> junk =
        record(1, "x", "{not json".getBytes(StandardCharsets.UTF_8));
    run(
        Batch.of(
            tp(),
            List.of(record(0, "1", order(1).toBytes()), junk, record(2, "3", order(3).toBytes()))));
    assertThat(rows.persisted).containsExactlyInAnyOrder(1L, 3L);
    assertThat(outbox.deadLetters)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.source().offset()).isEqualTo(1);
              assertThat(d.reason()).startsWith("unparseable");
            });
    assertThat(stats.deadLettered()).isEqualTo(1);
  }

  @Test
  void an_order_without_admission_is_dead_lettered_and_a_released_one_is_skipped()
      throws Exception {
    stock.outcomes.put(2L, Handoff.UNKNOWN);
    stock.outcomes.put(3L, Handoff.RELEASED);
    run(batch(order(1), order(2), order(3)));
    assertThat(rows.persisted).containsExactly(1L);
    assertThat(outbox.deadLetters)
        .singleElement()
        .satisfies(d -> assertThat(d.reason()).startsWith("no admission"));
    assertThat(stats.releasedSkipped()).isEqualTo(1);
    assertThat(stock.forgotten).containsExactly(1L);
  }

  @Test
  void a_record_the_database_refuses_is_isolated_rejected_and_its_stock_returned()
      throws Exception {
    rows.poison.add(5L);
    List<OrderMessage> orders = new ArrayList<>();
    for (long id = 1; id <= 9; id++) orders.add(order(id));
    run(batch(orders.toArray(OrderMessage[]::new)));
    assertThat(rows.persisted).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L);
    assertThat(outbox.deadLetters)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.source().key()).isEqualTo("5");
              assertThat(d.reason()).contains("23503");
            });
    assertThat(rows.rejectAttempts).containsExactly(5L);
    assertThat(stock.returned).containsExactly(5L);
    // Deadlines are scheduled before the insert, so the refused order has one too; it will find a
    // REJECTED row.
    assertThat(outbox.scheduled).hasSize(9);
    assertThat(stats.ordersInserted()).isEqualTo(8);
    assertThat(stats.rejected()).isEqualTo(1);
    // The reservation goes too: the order is settled (rejected, stock returned).
    assertThat(stock.forgotten).contains(5L);
  }

  @Test
  void
      an_order_whose_id_another_order_holds_is_dead_lettered_and_its_stock_returned_while_a_redelivery_stays_silent()
          throws Exception {
    run(batch(order(1), order(2)));
    OrderMessage impostor = new OrderMessage(2, SALE, "someone-else", 1, 1_700_000_000_000L, 60);
    run(batch(order(1), impostor, order(3)));
    assertThat(rows.persisted).containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(rows.holders.get(2L).userId()).isEqualTo("user-2");
    assertThat(outbox.deadLetters)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.source().key()).isEqualTo("2");
              assertThat(d.reason())
                  .contains("already taken by another order")
                  .contains("someone-else");
            });
    assertThat(stock.returned).containsExactly(2L);
    assertThat(stats.rejected()).isEqualTo(1);
  }

  @Test
  void
      two_different_orders_under_one_id_in_one_batch_give_one_row_and_one_dead_letter_not_a_silent_duplicate()
          throws Exception {
    OrderMessage impostor = new OrderMessage(2, SALE, "someone-else", 1, 1_700_000_000_000L, 60);
    run(batch(order(1), order(2), impostor, order(2)));
    assertThat(rows.holders.get(2L).userId()).isEqualTo("user-2");
    assertThat(outbox.deadLetters)
        .singleElement()
        .satisfies(d -> assertThat(d.reason()).contains("someone-else"));
    assertThat(stock.returned).containsExactly(2L);
    assertThat(rows.inserts).as("one pass per order under the id").isEqualTo(2);
    assertThat(stats.batches()).isEqualTo(1);
  }

  @Test
  void deadlines_are_on_the_delay_topic_before_their_rows_exist() throws Exception {
    outbox.rowsAtSchedule = rows;
    run(batch(order(1), order(2)));
    assertThat(outbox.persistedWhenScheduled)
        .as("no row may exist without its deadline already scheduled")
        .isEmpty();
    assertThat(rows.persisted).containsExactlyInAnyOrder(1L, 2L);
  }

  @Test
  void a_database_that_is_away_is_retried_until_it_answers() throws Exception {
    rows.failNext.set(3);
    run(batch(order(1), order(2)));
    assertThat(rows.persisted).containsExactlyInAnyOrder(1L, 2L);
    assertThat(stats.retries()).isEqualTo(3);
  }

  @Test
  void stopping_gives_up_a_batch_that_keeps_failing() throws Exception {
    rows.failNext.set(Integer.MAX_VALUE);
    Future<Void> f = onContext(batch(order(1)));
    vertx.setTimer(100, t -> retrier.stop());
    Throwable cause =
        f.transform(ar -> Future.succeededFuture(ar.cause()))
            .toCompletionStage()
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    assertThat(cause).isInstanceOf(CancellationException.class);
    assertThat(stock.forgotten).isEmpty();
  }

  private void run(Batch b) throws Exception {
    onContext(b).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private Future<Void> onContext(Batch b) {
    io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> processor.process(b).onComplete(p));
    return p.future();
  }

  private static TopicPartition tp() {
    return new TopicPartition("orders", 0);
  }

  private static OrderMessage order(long id) {
    return new OrderMessage(id, SALE, "user-" + id, 1, 1_700_000_000_000L, 60);
  }

  private static ConsumerRecord<String, byte[]> record(long offset, String key, byte[] value) {
    return new ConsumerRecord<>("orders", 0, offset, key, value);
  }

  private static Batch batch(OrderMessage... orders) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < orders.length; i++) {
      records.add(record(i, Long.toString(orders[i].orderId()), orders[i].toBytes()));
    }
    return Batch.of(tp(), records);
  }

  /**
   * Claims like claim.lua: first claim wins, later ones see SETTLED; some outcomes forced per
   * order.
   */
  static final class FakeStock implements Stock {
    final Map<Long, Handoff> outcomes = new HashMap<>();
    final Set<Long> claimed = new HashSet<>();
    final List<Long> forgotten = new ArrayList<>();
    final List<Long> returned = new ArrayList<>();
    final List<Integer> claimSizes = new ArrayList<>();

    @Override
    public Future<List<Handoff>> claim(long saleId, List<Long> orderIds) {
      claimSizes.add(orderIds.size());
      List<Handoff> out = new ArrayList<>();
      for (Long id : orderIds) {
        Handoff forced = outcomes.get(id);
        out.add(forced != null ? forced : claimed.add(id) ? Handoff.CLAIMED : Handoff.SETTLED);
      }
      return Future.succeededFuture(out);
    }

    @Override
    public Future<Void> forget(long saleId, List<Long> orderIds) {
      forgotten.addAll(orderIds);
      return Future.succeededFuture();
    }

    @Override
    public Future<Boolean> returnStock(long saleId, long orderId, String userId, int quantity) {
      returned.add(orderId);
      return Future.succeededFuture(true);
    }
  }

  /**
   * A table with a primary key: poison ids violate a constraint, failNext makes the server look
   * away.
   */
  static final class FakeRows implements OrderRows {
    final Set<Long> persisted = new HashSet<>();
    final Map<Long, OrderMessage> holders = new HashMap<>();
    final Set<Long> poison = new HashSet<>();
    final List<Long> rejectAttempts = new ArrayList<>();
    final AtomicInteger failNext = new AtomicInteger();
    List<OrderMessage> lastInsert;
    int inserts;

    @Override
    public Future<List<Long>> insert(List<OrderMessage> orders, Instant createdAt) {
      if (failNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
        return Future.failedFuture(new VertxException("Connection refused"));
      }
      if (orders.stream().anyMatch(o -> poison.contains(o.orderId()))) {
        return Future.failedFuture(
            new PgException("violates foreign key constraint", "ERROR", "23503", null));
      }
      inserts++;
      lastInsert = List.copyOf(orders);
      List<Long> fresh = new ArrayList<>();
      for (OrderMessage o : orders) {
        if (persisted.add(o.orderId())) {
          fresh.add(o.orderId());
          holders.put(o.orderId(), o);
        }
      }
      return Future.succeededFuture(fresh);
    }

    @Override
    public Future<List<Owner>> owners(List<Long> orderIds) {
      List<Owner> out = new ArrayList<>();
      for (Long id : orderIds) {
        OrderMessage o = holders.get(id);
        if (o != null)
          out.add(new Owner(id, o.saleId(), o.userId(), o.quantity(), o.admittedAtMillis()));
      }
      return Future.succeededFuture(out);
    }

    @Override
    public Future<Void> reject(OrderMessage order, String reason) {
      rejectAttempts.add(order.orderId());
      return Future.failedFuture(
          new PgException("violates foreign key constraint", "ERROR", "23503", null));
    }
  }

  static final class FakeOutbox implements Outbox {
    final List<DeadLetter> deadLetters = new ArrayList<>();
    final List<Deadline> scheduled = new ArrayList<>();
    FakeRows rowsAtSchedule;
    final Set<Long> persistedWhenScheduled = new HashSet<>();

    @Override
    public Future<Void> deadLetter(List<DeadLetter> records) {
      deadLetters.addAll(records);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> schedule(List<Deadline> deadlines) {
      if (rowsAtSchedule != null) persistedWhenScheduled.addAll(rowsAtSchedule.persisted);
      scheduled.addAll(deadlines);
      return Future.succeededFuture();
    }
  }
}
