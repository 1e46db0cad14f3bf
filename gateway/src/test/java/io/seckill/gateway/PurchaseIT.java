package io.seckill.gateway;

import static io.seckill.platform.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.config.Env;
import io.seckill.platform.config.Servers;
import io.seckill.platform.contract.OrderMessage;
import io.seckill.platform.kafka.KafkaClients;
import io.seckill.platform.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PurchaseIT {
  static GatewayHarness gw;
  static Env env;

  @BeforeAll
  static void start() {
    env = TestServers.env("purchase");
    gw = new GatewayHarness(env);
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @Test
  void aSaleOfOneHundredUnitsAdmitsExactlyOneHundredOfAThousandConcurrentBuyers() {
    long sale = gw.createSale(100, 1, 900);
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < 1000; i++) all.add(gw.purchase(sale, "buyer-" + i, null));
    await(Future.join(all));

    List<String> orderIds = new ArrayList<>();
    int soldOut = 0;
    for (var f : all) {
      HttpResponse<Buffer> r = f.result();
      if (r.statusCode() == 202) {
        orderIds.add(r.bodyAsJsonObject().getString("orderId"));
        assertThat(r.bodyAsJsonObject().getString("status")).isEqualTo("QUEUED");
        assertThat(r.getHeader("location"))
            .isEqualTo("/api/orders/" + r.bodyAsJsonObject().getString("orderId"));
      } else {
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(409);
        assertThat(r.getHeader("content-type")).isEqualTo("application/problem+json");
        assertThat(r.bodyAsJsonObject().getString("type")).endsWith("/sold-out");
        soldOut++;
      }
    }
    assertThat(orderIds).hasSize(100).doesNotHaveDuplicates();
    assertThat(soldOut).isEqualTo(900);
    assertThat(gw.stock(sale)).isZero();

    List<ConsumerRecord<String, byte[]>> records = readOrders(sale, 100);
    assertThat(records)
        .extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrderElementsOf(orderIds);
    Set<Integer> partitions = new HashSet<>();
    records.forEach(r -> partitions.add(r.partition()));
    assertThat(partitions)
        .as("orders spread over the partitions by order id")
        .hasSizeGreaterThan(1);
  }

  @Test
  void theSameUserBuyingTwiceIsRefusedWithLimitReached() {
    long sale = gw.createSale(10, 1, 900);
    assertThat(await(gw.purchase(sale, "alice", null)).statusCode()).isEqualTo(202);
    HttpResponse<Buffer> second = await(gw.purchase(sale, "alice", null));
    assertThat(second.statusCode()).isEqualTo(409);
    assertThat(second.bodyAsJsonObject().getString("type")).endsWith("/limit-reached");
    assertThat(gw.stock(sale)).isEqualTo(9);
  }

  @Test
  void theSameIdempotencyKeyTwiceReturnsTheSameOrderAndTakesStockOnce() {
    long sale = gw.createSale(10, 2, 900);
    HttpResponse<Buffer> first = await(gw.purchase(sale, "bob", "key-1"));
    HttpResponse<Buffer> again = await(gw.purchase(sale, "bob", "key-1"));
    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(again.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());
    assertThat(gw.stock(sale)).isEqualTo(9);
  }

  @Test
  void aReplayedKeyGetsItsOrderBackEvenAfterTheSaleSoldOut() {
    long sale = gw.createSale(1, 1, 900);
    HttpResponse<Buffer> first = await(gw.purchase(sale, "gina", "only-key"));
    assertThat(first.statusCode()).isEqualTo(202);
    HttpResponse<Buffer> soldOut = await(gw.purchase(sale, "harry", null));
    assertThat(soldOut.bodyAsJsonObject().getString("type")).endsWith("/sold-out");
    HttpResponse<Buffer> replay = await(gw.purchase(sale, "gina", "only-key"));
    assertThat(replay.statusCode()).as(replay.bodyAsString()).isEqualTo(202);
    assertThat(replay.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());
  }

  @Test
  void aPurchaseWhoseAdmissionAnswerComesTooLateHears503OnlyOnceNothingIsHeldForIt() {
    long sale = gw.createSale(5, 1, 900);
    long timeout = Servers.from(env).callTimeout().toMillis();
    // The admission script waits in Redis past the gateway's timeout, then runs; the release the
    // gateway sends after
    // the timeout runs right behind it, so the buyer's 503 ("nothing was taken") is true.
    gw.pauseRedis(timeout + 2_000);
    HttpResponse<Buffer> late = await(gw.purchase(sale, "late-buyer", "late-key"));
    assertThat(late.statusCode()).as(late.bodyAsString()).isEqualTo(503);
    assertThat(late.bodyAsJsonObject().getString("type")).endsWith("/overloaded");
    assertThat(gw.stock(sale)).isEqualTo(5);
    // Nothing is held for the key or the user either: the same request now buys.
    HttpResponse<Buffer> retry = await(gw.purchase(sale, "late-buyer", "late-key"));
    assertThat(retry.statusCode()).as(retry.bodyAsString()).isEqualTo(202);
    assertThat(gw.stock(sale)).isEqualTo(4);
  }

  @Test
  void aQueuedOrderIsVisibleToItsOwnerOnly() {
    long sale = gw.createSale(10, 1, 900);
    String orderId =
        await(gw.purchase(sale, "carol", null)).bodyAsJsonObject().getString("orderId");
    HttpResponse<Buffer> mine =
        await(
            gw.http
                .get("/api/orders/" + orderId)
                .putHeader("authorization", gw.user("carol"))
                .send());
    assertThat(mine.statusCode()).isEqualTo(200);
    assertThat(mine.bodyAsJsonObject().getString("status")).isEqualTo("QUEUED");
    assertThat(mine.bodyAsJsonObject().getString("saleId")).isEqualTo(Long.toString(sale));
    HttpResponse<Buffer> theirs =
        await(
            gw.http
                .get("/api/orders/" + orderId)
                .putHeader("authorization", gw.user("mallory"))
                .send());
    assertThat(theirs.statusCode()).isEqualTo(404);
    assertThat(theirs.bodyAsJsonObject().getString("type")).endsWith("/order-not-found");
  }

  @Test
  void theSaleReportsItsStateAndStockLeft() {
    long sale = gw.createSale(3, 1, 900);
    await(gw.purchase(sale, "dave", null));
    var body = await(gw.http.get("/api/sales/" + sale).send()).bodyAsJsonObject();
    assertThat(body.getString("state")).isEqualTo("ACTIVE");
    assertThat(body.getLong("stockLeft")).isEqualTo(2);
    for (String u : List.of("erin", "frank")) await(gw.purchase(sale, u, null));
    assertThat(
            await(gw.http.get("/api/sales/" + sale).send()).bodyAsJsonObject().getString("state"))
        .isEqualTo("SOLD_OUT");
  }

  /** The records of one sale on the orders topic (other tests of this class share the topic). */
  private static List<ConsumerRecord<String, byte[]>> readOrders(long sale, int expected) {
    Servers servers = Servers.from(env);
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            KafkaClients.consumer(servers, "reader-" + System.nanoTime(), "reader"))) {
      c.subscribe(List.of(servers.topics().orders()));
      long deadline = System.currentTimeMillis() + 30_000;
      while (out.size() < expected && System.currentTimeMillis() < deadline) {
        c.poll(Duration.ofMillis(200))
            .forEach(
                r -> {
                  if (OrderMessage.parse(r.value()).saleId() == sale) out.add(r);
                });
      }
    }
    return out;
  }
}
