package io.seckill.gateway;

import static io.seckill.platform.testing.Await.await;
import static io.seckill.platform.testing.Await.sleep;
import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.inventory.Release;
import io.seckill.inventory.StockSnapshot;
import io.seckill.platform.config.Env;
import io.seckill.platform.config.Servers;
import io.seckill.platform.config.Settings;
import io.seckill.platform.contract.OrderMessage;
import io.seckill.platform.kafka.KafkaClients;
import io.seckill.platform.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * The local message table: stock taken in Redis is always either on its way through Kafka or given
 * back.
 */
class HandoffIT {

  @Test
  void whenKafkaIsUnreachableTheBuyerGets503AndTheStockComesBack() {
    Env env = TestServers.env("handoff-down");
    long sale;
    try (GatewayHarness healthy = new GatewayHarness(env)) {
      sale = healthy.createSale(20, 1, 900);
    }
    Env broken =
        env.with(
            Map.of(
                Settings.KAFKA_BOOTSTRAP.env(),
                "127.0.0.1:1",
                Settings.KAFKA_DELIVERY_TIMEOUT_MS.env(),
                "3000"));
    try (GatewayHarness gw = new GatewayHarness(broken)) {
      Future<HttpResponse<Buffer>> pending = gw.purchase(sale, "zoe", null);
      while (!pending.isComplete()) {
        assertConserved(gw, sale, 20);
        sleep(100);
      }
      HttpResponse<Buffer> r = await(pending);
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(503);
      assertThat(r.bodyAsJsonObject().getString("type")).endsWith("/overloaded");
      assertThat(r.getHeader("retry-after")).isNotBlank();
      StockSnapshot s = await(gw.inventory.snapshot(sale));
      assertThat(s.stock()).isEqualTo(20);
      assertThat(s.reservations()).isZero();
      // the buyer may try again: the limit was given back with the stock
      assertThat(await(gw.inventory.stockLeft(sale))).contains(20L);
    }
  }

  @Test
  void aReservationOrphanedByADeadGatewayIsResentByTheSweeperWithinTheBound() {
    Env env =
        TestServers.env("handoff-crash")
            .with(
                Map.of(
                    Settings.SWEEP_AFTER_MS.env(),
                    "2000",
                    Settings.SWEEP_INTERVAL_MS.env(),
                    "500"));
    long sale = orphanedReservation(env, "yuri");

    try (GatewayHarness survivor = new GatewayHarness(env)) {
      long start = System.currentTimeMillis();
      while (await(survivor.inventory.snapshot(sale)).pendingHandoffs() > 0) {
        assertConserved(survivor, sale, 10);
        assertThat(System.currentTimeMillis() - start)
            .as("swept within the bound")
            .isLessThan(15_000);
        sleep(100);
      }
      Set<Long> sent = readOrderIds(env, sale);
      assertThat(sent).hasSize(1);
      assertConserved(survivor, sale, 10);
    }
  }

  @Test
  void anOrderABrokerAcknowledgedIsNeverReleasedEvenByACallerWhoseOwnSendFailed() {
    try (GatewayHarness gw = new GatewayHarness(TestServers.env("handoff-acked"))) {
      long sale = gw.createSale(5, 1, 900);
      HttpResponse<Buffer> r = await(gw.purchase(sale, "quinn", null));
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
      long orderId = Long.parseLong(r.bodyAsJsonObject().getString("orderId"));
      // Acknowledgements reach Redis in batches: wait until this one has.
      while (await(gw.inventory.snapshot(sale)).pendingHandoffs() > 0) sleep(20);

      // A second sender whose copy failed (a sweeper, a replay) must not give back the stock of an
      // order a buyer holds.
      assertThat(await(gw.inventory.release(sale, orderId))).isEqualTo(Release.DELIVERED);
      StockSnapshot s = await(gw.inventory.snapshot(sale));
      assertThat(s.stock()).isEqualTo(4);
      assertThat(s.reservations()).isEqualTo(1);
    }
  }

  @Test
  void anOrphanThatCannotBeResentStaysReservedUntilKafkaIsBackThenBecomesAnOrder() {
    Env env =
        TestServers.env("handoff-kafka-down")
            .with(
                Map.of(
                    Settings.SWEEP_AFTER_MS.env(),
                    "1000",
                    Settings.SWEEP_INTERVAL_MS.env(),
                    "300"));
    long sale = orphanedReservation(env, "ursula");

    Env kafkaDown =
        env.with(
            Map.of(
                Settings.KAFKA_BOOTSTRAP.env(),
                "127.0.0.1:1",
                Settings.KAFKA_DELIVERY_TIMEOUT_MS.env(),
                "1500"));
    try (GatewayHarness sweeperWithoutKafka = new GatewayHarness(kafkaDown)) {
      long until = System.currentTimeMillis() + 6_000;
      while (System.currentTimeMillis() < until) {
        // Its re-sends fail, and it must not conclude the order is dead: the first send may have
        // reached a broker.
        StockSnapshot s = await(sweeperWithoutKafka.inventory.snapshot(sale));
        assertThat(s.reservations()).as("still reserved").isEqualTo(1);
        assertThat(s.stock()).isEqualTo(9);
        sleep(200);
      }
    }
    try (GatewayHarness survivor = new GatewayHarness(env)) {
      while (await(survivor.inventory.snapshot(sale)).pendingHandoffs() > 0) sleep(100);
      assertThat(readOrderIds(env, sale)).hasSize(1);
      assertConserved(survivor, sale, 10);
    }
  }

  /**
   * A gateway admits one purchase of a 10-unit sale and dies between the Redis decrement and the
   * Kafka send.
   */
  private static long orphanedReservation(Env env, String buyer) {
    GatewayHarness doomed = new GatewayHarness(env.with(Settings.TEST_SEND_DELAY_MS, 60_000));
    long sale = doomed.createSale(10, 1, 900);
    Future<HttpResponse<Buffer>> never = doomed.purchase(sale, buyer, "key-" + buyer);
    while (await(doomed.inventory.snapshot(sale)).reservations() == 0) sleep(20);
    await(doomed.vertx.close());
    assertThat(never.succeeded()).isFalse();
    return sale;
  }

  private static void assertConserved(GatewayHarness gw, long sale, int initial) {
    StockSnapshot s = await(gw.inventory.snapshot(sale));
    assertThat(s.stock() + s.reservations()).as("redis stock + reservations").isEqualTo(initial);
  }

  private static Set<Long> readOrderIds(Env env, long sale) {
    Servers servers = Servers.from(env);
    Set<Long> ids = new HashSet<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            KafkaClients.consumer(servers, "reader-" + System.nanoTime(), "reader"))) {
      c.subscribe(List.of(servers.topics().orders()));
      long deadline = System.currentTimeMillis() + 10_000;
      while (ids.isEmpty() && System.currentTimeMillis() < deadline) {
        c.poll(Duration.ofMillis(200))
            .forEach(
                r -> {
                  OrderMessage m = OrderMessage.parse(r.value());
                  if (m.saleId() == sale) ids.add(m.orderId());
                });
      }
    }
    return ids;
  }
}
