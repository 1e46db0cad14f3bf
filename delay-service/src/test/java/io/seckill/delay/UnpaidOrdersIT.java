package io.seckill.delay;

import static io.seckill.platform.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.store.OrderStore.Deadline;
import io.seckill.platform.store.Sale;
import io.seckill.platform.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UnpaidOrdersIT {
  static DelayHarness h;
  static DelayService service;

  @BeforeAll
  static void start() {
    h = new DelayHarness("unpaid", Map.of());
    service = h.startService();
  }

  @AfterAll
  static void stop() {
    h.stop(service, false);
    h.close();
  }

  @Test
  void unpaidOrdersAreCancelledWithinTwoSecondsOfTheirDeadlineAndOnlyTheirStockComesBack() {
    Sale sale = h.createSale(1000, 2);
    List<Deadline> placed = h.placeOrders(sale, 200);
    h.schedule(placed);
    List<Deadline> paid = placed.subList(0, 100);
    for (Deadline d : paid)
      assertThat(await(h.orders.pay(d.orderId(), 0, "ref-" + d.orderId()))).isTrue();
    assertThat(h.stock(sale.id())).isEqualTo(800);

    DelayHarness.waitUntil(Duration.ofSeconds(10), () -> h.count(sale.id(), "CANCELLED") == 100);

    var rows = h.rows(sale.id());
    assertThat(rows.values()).filteredOn(r -> r.status().equals("PAID")).hasSize(100);
    assertThat(rows.values())
        .filteredOn(r -> r.status().equals("CANCELLED"))
        .hasSize(100)
        .allSatisfy(r -> assertThat(r.lateMillis()).isBetween(0L, 2000L))
        .allSatisfy(r -> assertThat(r.cancelReason()).isEqualTo("TIMEOUT"));
    for (Deadline d : paid) assertThat(rows.get(d.orderId()).status()).isEqualTo("PAID");
    Await.sleep(500);
    assertThat(h.stock(sale.id())).isEqualTo(900);
    assertThat(h.returnedOrders(sale.id())).isEqualTo(100);
  }

  @Test
  void
      fiveThousandOrdersDueTogetherTravelAsAHandfulOfRecordsAndEveryUnpaidOneIsCancelledOnTimeButThePaidOne() {
    Sale sale = h.createSale(5000, 3);
    List<Deadline> placed = h.placeOrders(sale, 5000);
    long recordsBefore = h.delayRecords();
    h.schedule(placed);
    // The harness places orders in chunks of 1,000 sharing a creation time: one record per chunk,
    // not per order.
    assertThat(h.delayRecords() - recordsBefore)
        .as("delay records for 5,000 orders")
        .isLessThanOrEqualTo(10);
    long paid = placed.get(2500).orderId();
    assertThat(await(h.orders.pay(paid, 0, "ref-bulk"))).isTrue();

    DelayHarness.waitUntil(Duration.ofSeconds(20), () -> h.count(sale.id(), "CANCELLED") == 4999);

    var rows = h.rows(sale.id());
    assertThat(rows.get(paid).status()).isEqualTo("PAID");
    assertThat(rows.values())
        .filteredOn(r -> r.status().equals("CANCELLED"))
        .hasSize(4999)
        .allSatisfy(r -> assertThat(r.lateMillis()).isBetween(0L, 2000L))
        .allSatisfy(r -> assertThat(r.cancelReason()).isEqualTo("TIMEOUT"));
    Await.sleep(500);
    assertThat(h.stock(sale.id())).isEqualTo(4999);
    assertThat(h.returnedOrders(sale.id())).isEqualTo(4999);
  }

  @Test
  void aCancelledOrderCannotBePaid() {
    Sale sale = h.createSale(10, 1);
    List<Deadline> placed = h.placeOrders(sale, 1);
    h.schedule(placed);
    long id = placed.get(0).orderId();
    DelayHarness.waitUntil(Duration.ofSeconds(5), () -> h.count(sale.id(), "CANCELLED") == 1);
    assertThat(await(h.orders.pay(id, 0, "late"))).isFalse();
    assertThat(await(h.orders.pay(id, 1, "late"))).isFalse();
    assertThat(h.rows(sale.id()).get(id).status()).isEqualTo("CANCELLED");
  }

  @Test
  void anUnreadableDeadlineIsDeadLetteredAndTheDeadlinesBehindItStillFire() {
    Sale sale = h.createSale(10, 1);
    h.send(
        new org.apache.kafka.clients.producer.ProducerRecord<>(
            h.servers.topics().delay(),
            0,
            System.currentTimeMillis(),
            "x",
            "{\"orderId\":\"not-a-number\"}".getBytes()));
    List<Deadline> placed = h.placeOrders(sale, 1);
    h.schedule(placed);
    DelayHarness.waitUntil(Duration.ofSeconds(5), () -> h.count(sale.id(), "CANCELLED") == 1);
    DelayHarness.waitUntil(
        Duration.ofSeconds(5), () -> service.stats().snapshot().deadLettered() >= 1);
  }

  @Test
  void aDueNowDeadlineFromAGatewayReturnsTheStockOfAUserCancelledOrderOnce() {
    // What a gateway writes when the stock return after a user's cancellation failed (gateway
    // StockReturns).
    Sale sale = h.createSale(10, 900);
    long id = h.placeOrders(sale, 1).get(0).orderId();
    assertThat(await(h.orders.cancelByUser(id, 0))).isTrue();
    assertThat(h.stock(sale.id())).isEqualTo(9);
    for (int copy = 0; copy < 2; copy++) {
      long now = System.currentTimeMillis();
      h.send(
          new org.apache.kafka.clients.producer.ProducerRecord<>(
              h.servers.topics().delay(),
              0,
              now,
              Long.toString(id),
              new io.seckill.platform.contract.DeadlineMessage(id, sale.id(), now).toBytes()));
    }
    DelayHarness.waitUntil(Duration.ofSeconds(5), () -> h.stock(sale.id()) == 10);
    Await.sleep(1_000);
    assertThat(h.stock(sale.id())).isEqualTo(10);
    assertThat(h.returnedOrders(sale.id())).isEqualTo(1);
    assertThat(h.rows(sale.id()).get(id).cancelReason()).isEqualTo("USER");
  }
}
