package io.seckill.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.gateway.domain.FakePorts.FakeRows;
import io.seckill.gateway.domain.FakePorts.FakeSales;
import io.seckill.gateway.domain.FakePorts.FakeStock;
import io.seckill.inventory.Reservation;
import io.seckill.platform.store.Order;
import io.seckill.platform.store.OrderStatus;
import io.seckill.platform.store.Sale;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reading, paying and cancelling an order against fakes of PostgreSQL and Redis: no servers. */
class OrdersTest {
  private static final long SALE = 21;

  private final FakeRows rows = new FakeRows();
  private final FakeStock stock = new FakeStock();
  private final FakeSales sales = new FakeSales();
  private final AdmittedOrders admitted = new AdmittedOrders(100, Duration.ofMinutes(1));
  private final List<Long> givenBack = new ArrayList<>();
  private Orders orders;

  @BeforeEach
  void wire() {
    Instant now = Instant.now();
    sales.sales.put(
        SALE, new Sale(SALE, "phone", 10, 1, now.minusSeconds(60), now.plusSeconds(600), 1, 60));
    orders =
        new Orders(
            rows,
            stock,
            sales,
            admitted,
            order -> {
              givenBack.add(order.id());
              return Future.succeededFuture();
            });
  }

  @Test
  void anOrderIsVisibleToItsOwnerOnlyAndAnyoneElseIsToldItDoesNotExist() {
    pending(1);

    assertThat(orders.find(1, "alice").result().status()).isEqualTo(OrderStatus.PENDING_PAYMENT);
    assertThat(refusal(orders.find(1, "mallory").cause())).isEqualTo(Refusal.ORDER_NOT_FOUND);
    assertThat(refusal(orders.find(2, "alice").cause())).isEqualTo(Refusal.ORDER_NOT_FOUND);
  }

  @Test
  void anOrderThatIsStillAReservationIsQueuedWhetherOrNotThisGatewayAdmittedIt() {
    stock.reservations.put(3L, new Reservation(3, SALE, "alice", 1, 1_000));
    stock.reservations.put(4L, new Reservation(4, SALE, "alice", 1, 1_000));
    admitted.admitted(3, SALE);

    assertThat(orders.find(3, "alice").result().status()).isEqualTo(OrderStatus.QUEUED);
    assertThat(orders.find(4, "alice").result().status()).isEqualTo(OrderStatus.QUEUED);
    assertThat(refusal(orders.find(4, "bob").cause())).isEqualTo(Refusal.ORDER_NOT_FOUND);
  }

  @Test
  void aPaymentWinsOnceAndTheSameReferenceAgainAnswersThePaidOrderWhileAnotherIsRefused() {
    pending(5);

    Order paid = orders.pay(5, "alice", "ref-1").result();

    assertThat(paid.status()).isEqualTo(OrderStatus.PAID);
    assertThat(paid.paymentRef()).isEqualTo("ref-1");
    assertThat(orders.pay(5, "alice", "ref-1").result().version()).isEqualTo(paid.version());
    assertThat(refusal(orders.pay(5, "alice", "ref-2").cause()))
        .isEqualTo(Refusal.ORDER_NOT_PAYABLE);
  }

  @Test
  void aQueuedOrderCannotBePaidOrCancelledYet() {
    stock.reservations.put(6L, new Reservation(6, SALE, "alice", 1, 1_000));
    admitted.admitted(6, SALE);

    assertThat(refusal(orders.pay(6, "alice", "ref").cause())).isEqualTo(Refusal.ORDER_NOT_PAYABLE);
    assertThat(refusal(orders.cancel(6, "alice").cause())).isEqualTo(Refusal.ORDER_NOT_CANCELLABLE);
  }

  @Test
  void aCancellationThatWonGivesTheStockBackOnceAndRepeatingItChangesNothing() {
    pending(7);

    assertThat(orders.cancel(7, "alice").result().status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(orders.cancel(7, "alice").result().status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(givenBack).containsExactly(7L);
  }

  @Test
  void aPaidOrderCannotBeCancelledAndGivesNothingBack() {
    pending(8);
    orders.pay(8, "alice", "ref").result();

    assertThat(refusal(orders.cancel(8, "alice").cause())).isEqualTo(Refusal.ORDER_NOT_CANCELLABLE);
    assertThat(givenBack).isEmpty();
  }

  @Test
  void
      aPaymentThatLosesTheRaceToTheDeadlineIsNotPayableAndACancellationThatLosesToItStandsWithoutAReturn() {
    pending(9);
    pending(10);
    rows.beforeWrite =
        () -> {
          expire(9);
          expire(10);
        };

    assertThat(refusal(orders.pay(9, "alice", "ref").cause())).isEqualTo(Refusal.ORDER_NOT_PAYABLE);
    // The deadline cancelled it first and returned the stock itself: the buyer's cancel answers
    // CANCELLED, returns nothing.
    assertThat(orders.cancel(10, "alice").result().status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(givenBack).isEmpty();
  }

  private void expire(long id) {
    Order o = rows.rows.get(id);
    if (o.status() == OrderStatus.PENDING_PAYMENT) {
      rows.rows.put(
          id,
          new Order(
              id,
              o.saleId(),
              o.userId(),
              o.quantity(),
              OrderStatus.CANCELLED,
              o.version() + 1,
              o.expiresAt(),
              null,
              "payment timeout"));
    }
  }

  private void pending(long id) {
    rows.rows.put(
        id,
        new Order(
            id,
            SALE,
            "alice",
            1,
            OrderStatus.PENDING_PAYMENT,
            0,
            Instant.now().plusSeconds(60),
            null,
            null));
  }

  private static Refusal refusal(Throwable failure) {
    assertThat(failure).isInstanceOf(RefusedException.class);
    return ((RefusedException) failure).refusal();
  }
}
