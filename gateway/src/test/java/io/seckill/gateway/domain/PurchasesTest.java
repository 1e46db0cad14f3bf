package io.seckill.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.gateway.domain.FakePorts.FakeSales;
import io.seckill.gateway.domain.FakePorts.FakeStock;
import io.seckill.inventory.Admission;
import io.seckill.inventory.Admission.Outcome;
import io.seckill.inventory.Inventory.Candidate;
import io.seckill.inventory.Release;
import io.seckill.inventory.Reservation;
import io.seckill.platform.contract.OrderMessage;
import io.seckill.platform.store.Sale;
import io.vertx.core.Future;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The purchase rules against fakes of Redis, Kafka and the sale catalog: no servers, no event loop.
 */
class PurchasesTest {
  private static final long SALE = 11;
  private static final int LIMIT = 2;

  private final FakeStock stock = new FakeStock();
  private final FakeSales sales = new FakeSales();
  private final List<Candidate> admitted = new ArrayList<>();
  private final List<OrderMessage> published = new ArrayList<>();
  private final List<Long> markedSent = new ArrayList<>();
  private final AdmittedOrders recent = new AdmittedOrders(100, Duration.ofMinutes(1));

  /** What the admission script answers a candidate. */
  private Function<Candidate, Future<Admission>> script =
      c -> Future.succeededFuture(admission(Outcome.OK, c.orderId()));

  /** What the broker answers a record. */
  private Future<Void> broker = Future.succeededFuture();

  private long lag;
  private long nextId = 1000;
  private Purchases purchases;

  @BeforeEach
  void openSale() {
    Instant now = Instant.now();
    sales.sales.put(
        SALE,
        new Sale(SALE, "phone", 10, 99_900, now.minusSeconds(60), now.plusSeconds(600), LIMIT, 60));
    // No test send delay, so Purchases never needs Vert.x for a timer.
    purchases =
        new Purchases(
            null,
            stock,
            (saleId, c) -> {
              admitted.add(c);
              return script.apply(c);
            },
            sales,
            m -> {
              published.add(m);
              return broker;
            },
            () -> lag,
            () -> nextId++,
            recent,
            (saleId, orderId) -> markedSent.add(orderId),
            100,
            Duration.ZERO);
  }

  @Test
  void anAdmittedPurchaseIsAnsweredWithItsOrderIdOnlyAfterTheBrokerHasIt() {
    Future<Long> result = purchases.purchase(SALE, "alice", 2, "k1");

    assertThat(result.result()).isEqualTo(1000L);
    assertThat(admitted).containsExactly(new Candidate(1000, "alice", 2, "k1"));
    assertThat(published)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.orderId()).isEqualTo(1000);
              assertThat(m.saleId()).isEqualTo(SALE);
              assertThat(m.userId()).isEqualTo("alice");
              assertThat(m.quantity()).isEqualTo(2);
            });
    assertThat(markedSent).containsExactly(1000L);
    assertThat(recent.saleOf(1000)).isEqualTo(SALE);
  }

  @Test
  void aPurchaseWhoseHandOffFailsGivesItsStockBackBeforeItIsRefusedAsOverloaded() {
    broker = Future.failedFuture(new TimeoutException("no ack"));

    Throwable refused = purchases.purchase(SALE, "alice", 1, null).cause();

    assertThat(stock.released).containsExactly(1000L);
    assertThat(refusal(refused)).isEqualTo(Refusal.OVERLOADED);
    assertThat(markedSent).isEmpty();
  }

  @Test
  void aFailedHandOffWhoseOrderReachedKafkaAfterAllIsAnsweredWithTheOrder() {
    broker = Future.failedFuture(new TimeoutException("ack lost"));
    stock.releaseAnswer = Release.DELIVERED;

    assertThat(purchases.purchase(SALE, "alice", 1, null).result()).isEqualTo(1000L);
  }

  @Test
  void aFailedHandOffWhoseReleaseGetsNoAnswerIsAnUnknownOutcome() {
    broker = Future.failedFuture(new TimeoutException("no ack"));
    stock.releaseFailure = new TimeoutException("no reply");

    assertThat(refusal(purchases.purchase(SALE, "alice", 1, "k1").cause()))
        .isEqualTo(Refusal.OUTCOME_UNKNOWN);
  }

  @Test
  void anAdmissionWhoseReplyTimedOutIsReleasedAndThenRefusedAsOverloaded() {
    script = c -> Future.failedFuture(new TimeoutException("admission reply late"));

    Throwable refused = purchases.purchase(SALE, "alice", 1, null).cause();

    assertThat(stock.released).containsExactly(1000L);
    assertThat(refusal(refused)).isEqualTo(Refusal.OVERLOADED);
    assertThat(published).isEmpty();
  }

  @Test
  void anAdmissionRefusedBeforeItRanReleasesNothing() {
    script = c -> Future.failedFuture(new ConnectException("Connection refused"));

    assertThat(refusal(purchases.purchase(SALE, "alice", 1, null).cause()))
        .isEqualTo(Refusal.OVERLOADED);
    assertThat(stock.released).isEmpty();
  }

  @Test
  void anUnkeyedPurchaseOfASaleFlaggedSoldOutIsRefusedWithoutAnAdmissionOrAnId() {
    sales.soldOut.put(SALE, Map.of());

    assertThat(refusal(purchases.purchase(SALE, "alice", 1, null).cause()))
        .isEqualTo(Refusal.SOLD_OUT);
    assertThat(admitted).isEmpty();
    assertThat(nextId).isEqualTo(1000);
  }

  @Test
  void aKeyedReplayOnASoldOutSaleIsAnsweredFromTheSnapshotOfAdmittedKeys() {
    sales.soldOut.put(SALE, Map.of("alice\nk1", 77L));

    assertThat(purchases.purchase(SALE, "alice", 1, "k1").result()).isEqualTo(77L);
    assertThat(refusal(purchases.purchase(SALE, "alice", 1, "other").cause()))
        .isEqualTo(Refusal.SOLD_OUT);
    assertThat(refusal(purchases.purchase(SALE, "bob", 1, "k1").cause()))
        .isEqualTo(Refusal.SOLD_OUT);
    assertThat(admitted).isEmpty();
  }

  @Test
  void aScriptThatFindsNoStockFlagsTheSaleSoldOutWithTheKeysAdmittedBefore() {
    stock.keys.put("bob\nkb", 5L);
    script = c -> Future.succeededFuture(admission(Outcome.SOLD_OUT, 0));

    assertThat(refusal(purchases.purchase(SALE, "alice", 1, null).cause()))
        .isEqualTo(Refusal.SOLD_OUT);
    assertThat(sales.isSoldOut(SALE)).isTrue();
    assertThat(sales.soldOutKeys(SALE)).containsExactly(Map.entry("bob\nkb", 5L));
  }

  @Test
  void aDuplicateKeyIsAnsweredWithTheEarlierOrderWhichIsResentWhileStillAReservation() {
    stock.reservations.put(42L, new Reservation(42, SALE, "alice", 1, 1_000));
    script = c -> Future.succeededFuture(admission(Outcome.DUPLICATE, 42));

    assertThat(purchases.purchase(SALE, "alice", 1, "k1").result()).isEqualTo(42L);
    assertThat(published)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.orderId()).isEqualTo(42);
              assertThat(m.admittedAtMillis()).isEqualTo(1_000);
            });
    assertThat(stock.confirmed).containsExactly(42L);
  }

  @Test
  void aPurchaseBeyondThePerUserLimitIsRefusedBeforeAnIdIsTaken() {
    assertThat(refusal(purchases.purchase(SALE, "alice", LIMIT + 1, null).cause()))
        .isEqualTo(Refusal.LIMIT_REACHED);
    assertThat(nextId).isEqualTo(1000);
    assertThat(admitted).isEmpty();
  }

  @Test
  void aPurchaseBeforeTheStartOrAfterTheEndIsNotActive() {
    Instant now = Instant.now();
    sales.sales.put(
        12L, new Sale(12, "tv", 10, 1, now.plusSeconds(60), now.plusSeconds(600), 1, 60));
    sales.sales.put(
        13L, new Sale(13, "tv", 10, 1, now.minusSeconds(600), now.minusSeconds(1), 1, 60));

    assertThat(refusal(purchases.purchase(12, "alice", 1, null).cause()))
        .isEqualTo(Refusal.SALE_NOT_ACTIVE);
    assertThat(refusal(purchases.purchase(13, "alice", 1, null).cause()))
        .isEqualTo(Refusal.SALE_NOT_ACTIVE);
    assertThat(refusal(purchases.purchase(14, "alice", 1, null).cause()))
        .isEqualTo(Refusal.SALE_NOT_FOUND);
    assertThat(admitted).isEmpty();
  }

  @Test
  void aPurchaseWhileTheWorkersLagTooFarBehindIsOverloadedAndTakesNothing() {
    lag = 101;

    Throwable refused = purchases.purchase(SALE, "alice", 1, null).cause();

    assertThat(refusal(refused)).isEqualTo(Refusal.OVERLOADED);
    assertThat(((RefusedException) refused).retryAfterSeconds()).isPositive();
    assertThat(admitted).isEmpty();
  }

  private static Admission admission(Outcome outcome, long orderId) {
    return new Admission(outcome, orderId, 5, 1_234);
  }

  private static Refusal refusal(Throwable failure) {
    assertThat(failure).isInstanceOf(RefusedException.class);
    return ((RefusedException) failure).refusal();
  }
}
