package io.seckill.launcher;

import static io.seckill.platform.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.auth.Tokens;
import io.seckill.platform.config.Env;
import io.seckill.platform.config.Settings;
import io.seckill.platform.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline in one process: buy, persist, pay or cancel, and the operational endpoints.
 */
class PipelineIT {
  static ServiceSet services;
  static Vertx client = Vertx.vertx();
  static WebClient http;
  static Tokens tokens;

  @BeforeAll
  static void start() throws Exception {
    Env env = TestServers.env("pipeline", Map.of(Settings.SHUTDOWN_GRACE_MS.env(), "1500"));
    services = ServiceSet.start(env, EnumSet.allOf(ServiceSet.Service.class));
    http =
        WebClient.create(
            client,
            new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(services.gatewayPort()));
    tokens = new Tokens(client, env.get(Settings.JWT_SECRET));
  }

  @AfterAll
  static void stop() {
    if (services != null) services.close();
    client.close();
  }

  @Test
  void aBuyerPaysOnceAndAPaymentWithAnotherReferenceIsRefused() throws Exception {
    long sale = createSale(5, 60);
    String order = buy(sale, "paying-buyer");
    assertThat(awaitStatus(order, "paying-buyer", "PENDING_PAYMENT")).isTrue();

    HttpResponse<Buffer> paid = await(pay(order, "paying-buyer", "ref-1"));
    assertThat(paid.statusCode()).isEqualTo(200);
    assertThat(paid.bodyAsJsonObject().getString("status")).isEqualTo("PAID");
    assertThat(await(pay(order, "paying-buyer", "ref-1")).statusCode())
        .as("same reference again")
        .isEqualTo(200);
    HttpResponse<Buffer> other = await(pay(order, "paying-buyer", "ref-2"));
    assertThat(other.statusCode()).isEqualTo(409);
    assertThat(other.bodyAsJsonObject().getString("type")).endsWith("/order-not-payable");
    HttpResponse<Buffer> cancel =
        await(
            http.delete("/api/orders/" + order)
                .putHeader("authorization", user("paying-buyer"))
                .send());
    assertThat(cancel.statusCode()).isEqualTo(409);
    assertThat(cancel.bodyAsJsonObject().getString("type")).endsWith("/order-not-cancellable");
    assertThat(await(pay(order, "someone-else", "ref-1")).statusCode())
        .as("another user's order")
        .isEqualTo(404);
  }

  @Test
  void aCancelledOrderGivesItsStockBackOnceAndCannotBePaid() throws Exception {
    long sale = createSale(3, 60);
    String order = buy(sale, "cancelling-buyer");
    assertThat(awaitStatus(order, "cancelling-buyer", "PENDING_PAYMENT")).isTrue();
    assertThat(stockLeft(sale)).isEqualTo(2);
    HttpResponse<Buffer> first =
        await(
            http.delete("/api/orders/" + order)
                .putHeader("authorization", user("cancelling-buyer"))
                .send());
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.bodyAsJsonObject().getString("status")).isEqualTo("CANCELLED");
    assertThat(
            await(
                    http.delete("/api/orders/" + order)
                        .putHeader("authorization", user("cancelling-buyer"))
                        .send())
                .statusCode())
        .isEqualTo(200);
    assertThat(stockLeft(sale)).isEqualTo(3);
    assertThat(await(pay(order, "cancelling-buyer", "late")).statusCode()).isEqualTo(409);
    JsonObject audit =
        await(
                http.get("/admin/sales/" + sale + "/audit")
                    .putHeader("authorization", admin())
                    .send())
            .bodyAsJsonObject();
    assertThat(audit.getBoolean("consistent")).as(audit.encodePrettily()).isTrue();
  }

  @Test
  void metricsAndHealthDescribeTheRunningGateway() throws Exception {
    long sale = createSale(2, 60);
    buy(sale, "metered-buyer");
    assertThat(await(http.get("/health/live").send()).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> ready = await(http.get("/health/ready").send());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsString()).contains("redis", "postgresql", "kafka");
    String metrics = await(http.get("/metrics").send()).bodyAsString();
    assertThat(metrics)
        .contains(
            "seckill_admissions_total{outcome=\"accepted\"}",
            "seckill_kafka_send_seconds_count",
            "seckill_admission_group_size_purchases_count",
            "seckill_worker_orders_inserted_total",
            "seckill_delay_cancelled_total",
            "vertx_http_server_requests_total",
            "jvm_memory_used_bytes");
    // The purchase above went to Redis (and its order to PostgreSQL) over Vert.x TCP clients, yet
    // neither per-command Redis meters nor per-read TCP-client meters exist: ServiceSet turns them
    // off (they cost the purchase path and nothing reads them).
    assertThat(metrics).doesNotContain("vertx_redis_", "vertx_net_client_");
  }

  private static long createSale(int stock, int timeout) throws Exception {
    JsonObject body =
        new JsonObject()
            .put("item", "pipeline")
            .put("stock", stock)
            .put("priceCents", 100)
            .put("startsAt", Instant.now().minusSeconds(5).toString())
            .put("endsAt", Instant.now().plusSeconds(600).toString())
            .put("perUserLimit", 1)
            .put("paymentTimeoutSeconds", timeout);
    HttpResponse<Buffer> r =
        await(http.post("/admin/sales").putHeader("authorization", admin()).sendJsonObject(body));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return Long.parseLong(r.bodyAsJsonObject().getString("saleId"));
  }

  private static String buy(long sale, String userId) throws Exception {
    HttpResponse<Buffer> r =
        await(
            http.post("/api/sales/" + sale + "/purchases")
                .putHeader("authorization", user(userId))
                .sendJsonObject(new JsonObject().put("quantity", 1)));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
    return r.bodyAsJsonObject().getString("orderId");
  }

  private static Future<HttpResponse<Buffer>> pay(String order, String userId, String ref) {
    return http.post("/api/orders/" + order + "/payment")
        .putHeader("authorization", user(userId))
        .sendJsonObject(new JsonObject().put("paymentRef", ref));
  }

  private static boolean awaitStatus(String order, String userId, String status) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      HttpResponse<Buffer> r =
          await(http.get("/api/orders/" + order).putHeader("authorization", user(userId)).send());
      if (r.statusCode() == 200 && status.equals(r.bodyAsJsonObject().getString("status")))
        return true;
      Thread.sleep(100);
    }
    return false;
  }

  private static long stockLeft(long sale) throws Exception {
    return await(http.get("/api/sales/" + sale).send()).bodyAsJsonObject().getLong("stockLeft");
  }

  private static String user(String id) {
    return "Bearer " + tokens.user(id, 600);
  }

  private static String admin() {
    return "Bearer " + tokens.admin("admin", 600);
  }
}
