package io.seckill.gateway;

import static io.seckill.platform.testing.Await.await;
import static io.seckill.platform.testing.Await.sleep;
import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.config.Env;
import io.seckill.platform.config.Settings;
import io.seckill.platform.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Group admission through the gateway: the window adds nothing on an idle gateway, and a lost group
 * keeps the 503 promise.
 */
class GroupAdmissionIT {

  @Test
  void aPurchaseAloneOnAnIdleGatewayIsNotHeldForTheWindow() {
    // A window of a minute: a lone purchase that waited for it would miss the request's 10-second
    // timeout.
    Env env =
        TestServers.env(
            "group-idle",
            Map.of(Settings.ADMIT_WINDOW_US.env(), "60000000", Settings.HTTP_INSTANCES.env(), "1"));
    try (GatewayHarness gw = new GatewayHarness(env)) {
      long sale = gw.createSale(10, 1, 900);
      for (String buyer : List.of("ida", "ivo", "ines")) {
        HttpResponse<Buffer> r =
            await(
                gw.http
                    .post("/api/sales/" + sale + "/purchases")
                    .timeout(10_000)
                    .putHeader("authorization", gw.user(buyer))
                    .sendJsonObject(new JsonObject().put("quantity", 1)));
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
      }
      assertThat(gw.stock(sale)).isEqualTo(7);
    }
  }

  @Test
  void aGroupWhoseReplyComesTooLateEndsEachOfItsPurchasesWith503AndNothingHeld() {
    Env env =
        TestServers.env(
            "group-late",
            Map.of(
                Settings.CALL_TIMEOUT_MS.env(),
                "1000",
                Settings.ADMIT_WINDOW_US.env(),
                "300000",
                Settings.HTTP_INSTANCES.env(),
                "1"));
    try (GatewayHarness gw = new GatewayHarness(env)) {
      long sale = gw.createSale(20, 1, 900);
      // Redis stalls past the first call's timeout but not past its release's: the first purchase
      // goes alone, the
      // next nine gather behind it and go as one group at the end of the 300 ms window; every reply
      // comes too late,
      // and every release runs behind its admission once Redis is back.
      gw.pauseRedis(1_600);
      List<Future<HttpResponse<Buffer>>> all = buyers(gw, sale, "late");
      for (Future<HttpResponse<Buffer>> f : all) {
        HttpResponse<Buffer> r = await(f);
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(503);
        assertThat(r.bodyAsJsonObject().getString("type")).endsWith("/overloaded");
      }
      assertThat(gw.stock(sale)).isEqualTo(20);
      // Nothing is held for their keys or their limits either: the same requests now buy.
      for (Future<HttpResponse<Buffer>> f : buyers(gw, sale, "late"))
        assertThat(await(f).statusCode()).isEqualTo(202);
      assertThat(gw.stock(sale)).isEqualTo(10);
    }
  }

  @Test
  void aGroupWhoseReleaseIsLostTooEndsEachOfItsPurchasesWith504AndTheStockStillComesBack() {
    Env env =
        TestServers.env(
            "group-unknown",
            Map.of(
                Settings.CALL_TIMEOUT_MS.env(),
                "1000",
                Settings.ADMIT_WINDOW_US.env(),
                "300000",
                Settings.HTTP_INSTANCES.env(),
                "1"));
    try (GatewayHarness gw = new GatewayHarness(env)) {
      long sale = gw.createSale(20, 1, 900);
      gw.pauseRedis(4_000);
      for (Future<HttpResponse<Buffer>> f : buyers(gw, sale, "lost")) {
        HttpResponse<Buffer> r = await(f);
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(504);
        assertThat(r.bodyAsJsonObject().getString("type")).endsWith("/outcome-unknown");
      }
      // Redis, once back (the pause has about two seconds left), runs each admission and then its
      // release.
      sleep(2_500);
      long deadline = System.currentTimeMillis() + 10_000;
      while (gw.stock(sale) != 20 && System.currentTimeMillis() < deadline) sleep(100);
      assertThat(gw.stock(sale)).isEqualTo(20);
    }
  }

  /**
   * Ten buyers, each with its own key: the first alone, then nine at once while the first is
   * outstanding.
   */
  private static List<Future<HttpResponse<Buffer>>> buyers(
      GatewayHarness gw, long sale, String prefix) {
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    all.add(gw.purchase(sale, prefix + "-0", prefix + "-key-0"));
    sleep(50);
    for (int i = 1; i < 10; i++) all.add(gw.purchase(sale, prefix + "-" + i, prefix + "-key-" + i));
    return all;
  }
}
