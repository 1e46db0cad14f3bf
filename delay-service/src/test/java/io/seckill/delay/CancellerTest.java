package io.seckill.delay;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.contract.DeadlineMessage;
import io.seckill.platform.store.OrderStore.Deadline;
import io.seckill.platform.store.OrderStore.Released;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The canceller's rules against in-memory fakes of the order store and the inventory, without
 * servers.
 */
class CancellerTest {
  private static final long SALE = 7;

  private enum Status {
    PENDING_PAYMENT,
    PAID,
    CANCELLED
  }

  /** Orders by id, with the compare-and-set semantics of the real statements. */
  private static final class FakeOrders implements Canceller.Orders {
    final Map<Long, Status> status = new HashMap<>();
    final Map<Long, Long> expiresAt = new HashMap<>();
    int lookups;

    void put(long id, Status s, long expires) {
      status.put(id, s);
      expiresAt.put(id, expires);
    }

    @Override
    public Future<List<Released>> cancelExpired(List<Long> ids) {
      List<Released> out = new ArrayList<>();
      long now = System.currentTimeMillis();
      for (long id : ids) {
        if (status.get(id) == Status.PENDING_PAYMENT && expiresAt.get(id) <= now) {
          status.put(id, Status.CANCELLED);
          out.add(released(id));
        }
      }
      return Future.succeededFuture(out);
    }

    @Override
    public Future<List<Released>> released(List<Long> ids) {
      lookups++;
      return Future.succeededFuture(
          ids.stream()
              .filter(id -> status.get(id) == Status.CANCELLED)
              .map(FakeOrders::released)
              .toList());
    }

    @Override
    public Future<List<Deadline>> pendingDeadlines(List<Long> ids) {
      lookups++;
      return Future.succeededFuture(
          ids.stream()
              .filter(id -> status.get(id) == Status.PENDING_PAYMENT)
              .map(id -> new Deadline(id, SALE, Instant.ofEpochMilli(expiresAt.get(id))))
              .toList());
    }

    private static Released released(long id) {
      return new Released(id, SALE, "user-" + id, 1);
    }
  }

  /** Stock returns, answered by the test when it wants: so how many run at once can be seen. */
  private static final class FakeStock implements Canceller.Stock {
    final List<Long> returned = new ArrayList<>();
    final List<Promise<Boolean>> pending = new ArrayList<>();
    int maxOutstanding;
    boolean answerAtOnce = true;

    @Override
    public Future<Boolean> returnStock(Released order) {
      returned.add(order.orderId());
      if (answerAtOnce) return Future.succeededFuture(true);
      Promise<Boolean> p = Promise.promise();
      pending.add(p);
      maxOutstanding =
          Math.max(
              maxOutstanding, (int) pending.stream().filter(x -> !x.future().isComplete()).count());
      return p.future();
    }
  }

  private final FakeOrders orders = new FakeOrders();
  private final FakeStock stock = new FakeStock();
  private final DelayStats stats = new DelayStats();
  private final long past = System.currentTimeMillis() - 1_000;

  private Canceller canceller(int returnsInFlight) {
    return new Canceller(orders, stock, returnsInFlight, stats);
  }

  private static DeadlineMessage due(long id, long dueAt) {
    return new DeadlineMessage(id, SALE, dueAt);
  }

  @Test
  void
      unpaid_orders_past_their_deadline_are_cancelled_and_their_stock_returned_without_further_lookups() {
    orders.put(1, Status.PENDING_PAYMENT, past);
    orders.put(2, Status.PENDING_PAYMENT, past);
    List<Deadline> later = canceller(8).act(List.of(due(1, past), due(2, past))).result();
    assertThat(later).isEmpty();
    assertThat(orders.status)
        .containsEntry(1L, Status.CANCELLED)
        .containsEntry(2L, Status.CANCELLED);
    assertThat(stock.returned).containsExactlyInAnyOrder(1L, 2L);
    assertThat(orders.lookups).as("no look-up when every due order was cancelled now").isZero();
    assertThat(stats.cancelled.sum()).isEqualTo(2);
    assertThat(stats.stockReturns.sum()).isEqualTo(2);
  }

  @Test
  void a_paid_order_is_left_alone_and_keeps_its_stock() {
    orders.put(1, Status.PAID, past);
    orders.put(2, Status.PENDING_PAYMENT, past);
    canceller(8).act(List.of(due(1, past), due(2, past))).result();
    assertThat(orders.status).containsEntry(1L, Status.PAID);
    assertThat(stock.returned).containsExactly(2L);
    assertThat(stats.cancelled.sum()).isEqualTo(1);
  }

  @Test
  void an_order_cancelled_earlier_gets_its_stock_returned_again_since_the_return_is_idempotent() {
    // A crash between the cancel and the return: the redelivered deadline finds the order
    // cancelled, stock not back.
    orders.put(1, Status.CANCELLED, past);
    canceller(8).act(List.of(due(1, past))).result();
    assertThat(stock.returned).containsExactly(1L);
    assertThat(stats.cancelled.sum()).as("not cancelled by this call").isZero();
  }

  @Test
  void an_order_the_database_does_not_consider_due_yet_is_handed_back_for_rescheduling() {
    long future = System.currentTimeMillis() + 60_000;
    orders.put(1, Status.PENDING_PAYMENT, future);
    List<Deadline> later = canceller(8).act(List.of(due(1, past))).result();
    assertThat(later).extracting(Deadline::orderId).containsExactly(1L);
    assertThat(later.get(0).expiresAt().toEpochMilli()).isEqualTo(future);
    assertThat(orders.status).containsEntry(1L, Status.PENDING_PAYMENT);
    assertThat(stock.returned).isEmpty();
  }

  @Test
  void an_order_due_twice_in_one_batch_is_cancelled_and_returned_once() {
    orders.put(1, Status.PENDING_PAYMENT, past);
    canceller(8).act(List.of(due(1, past), due(1, past - 500))).result();
    assertThat(stock.returned).containsExactly(1L);
    assertThat(stats.cancelled.sum()).isEqualTo(1);
  }

  @Test
  void stock_returns_run_at_most_the_configured_number_at_once_and_the_batch_ends_after_the_last() {
    List<DeadlineMessage> batch = new ArrayList<>();
    for (long id = 1; id <= 10; id++) {
      orders.put(id, Status.PENDING_PAYMENT, past);
      batch.add(due(id, past));
    }
    stock.answerAtOnce = false;
    Future<List<Deadline>> done = canceller(3).act(batch);
    for (int i = 0; i < 10; i++) {
      assertThat(done.isComplete()).as("done before every return was answered").isFalse();
      stock.pending.get(i).complete(true);
    }
    assertThat(done.succeeded()).isTrue();
    assertThat(stock.maxOutstanding).isEqualTo(3);
    assertThat(stock.returned).hasSize(10);
  }
}
