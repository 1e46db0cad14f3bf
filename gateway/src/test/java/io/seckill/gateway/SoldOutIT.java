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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A sale this gateway knows is sold out is answered locally: no Redis call, and without a key not
 * even a token check.
 */
class SoldOutIT {
  private static final String BAD_TOKEN = "Bearer not-a-token";

  @Test
  void
      whileRedisIsStalledASoldOutSaleStillAnswersUnkeyedAndNewKeyedPurchasesAt409AndOnlyAnAdmittedKeyNeedsAToken() {
    Env env = TestServers.env("sold-out-local", Map.of(Settings.CALL_TIMEOUT_MS.env(), "1000"));
    try (GatewayHarness gw = new GatewayHarness(env)) {
      long sale = gw.createSale(1, 1, 900);
      HttpResponse<Buffer> bought = await(gw.purchase(sale, "olga", "olga-key"));
      assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(202);
      // This answer comes from Redis; it sets the flag, and the gateway loads the sale's admitted
      // keys.
      assertThat(await(gw.purchase(sale, "oscar", null)).statusCode()).isEqualTo(409);
      sleep(150);
      // Any Redis call now would time out (1 s) and answer 503; the flag lasts a second, so all of
      // this fits in it.
      gw.pauseRedis(2_500);
      Future<HttpResponse<Buffer>> keyed = gw.purchase(sale, "otto", "otto-key");
      Future<HttpResponse<Buffer>> anonymous = send(gw, sale, null, null);
      Future<HttpResponse<Buffer>> badToken = send(gw, sale, BAD_TOKEN, null);
      for (Future<HttpResponse<Buffer>> f : List.of(keyed, anonymous, badToken)) {
        assertSoldOutProblem(await(f), sale);
      }
      // A key that no admitted order of the sale carries is refused like no key at all, token or
      // not; an admitted key still needs a valid token: it belongs to a user.
      assertSoldOutProblem(await(send(gw, sale, BAD_TOKEN, "k")), sale);
      assertThat(await(send(gw, sale, BAD_TOKEN, "olga-key")).statusCode()).isEqualTo(401);
      sleep(2_600);
      // The replay of the admitted key still gets its order back.
      HttpResponse<Buffer> replay = await(gw.purchase(sale, "olga", "olga-key"));
      assertThat(replay.statusCode()).as(replay.bodyAsString()).isEqualTo(202);
      assertThat(replay.bodyAsJsonObject()).isEqualTo(bought.bodyAsJsonObject());
      assertThat(gw.stock(sale)).isZero();
    }
  }

  @Test
  void
      onASoldOutSaleAnUnknownKeyIsRefusedBeforeItsTokenWhileAnAdmittedKeyStillNeedsItsTokenAndGetsItsOrderBack() {
    Env env = TestServers.env("sold-out-keys", Map.of());
    try (GatewayHarness gw = new GatewayHarness(env)) {
      long sale = gw.createSale(2, 1, 900);
      HttpResponse<Buffer> olga = await(gw.purchase(sale, "olga", "olga-key"));
      assertThat(olga.statusCode()).as(olga.bodyAsString()).isEqualTo(202);
      HttpResponse<Buffer> pia = await(gw.purchase(sale, "pia", null));
      assertThat(pia.statusCode()).as(pia.bodyAsString()).isEqualTo(202);
      // Redis answers this one: it sets the flag and the gateway loads the admitted keys.
      assertThat(await(gw.purchase(sale, "oscar", null)).statusCode()).isEqualTo(409);
      sleep(150);

      // No token at all: an unknown key is answered sold-out before the token would be asked for.
      assertSoldOutProblem(await(send(gw, sale, null, "never-admitted")), sale);
      // The admitted key without a valid token is refused by the token check, as before.
      assertThat(await(send(gw, sale, null, "olga-key")).statusCode()).isEqualTo(401);
      // Another user's admitted key gets no order: it is olga's key, not otto's.
      assertSoldOutProblem(await(gw.purchase(sale, "otto", "olga-key")), sale);
      // The real replay gets its order back.
      HttpResponse<Buffer> replay = await(gw.purchase(sale, "olga", "olga-key"));
      assertThat(replay.statusCode()).as(replay.bodyAsString()).isEqualTo(202);
      assertThat(replay.bodyAsJsonObject()).isEqualTo(olga.bodyAsJsonObject());
      assertThat(gw.stock(sale)).isZero();
    }
  }

  /** A purchase of one unit as sent by hand: any Authorization (or none), any key (or none). */
  private static Future<HttpResponse<Buffer>> send(
      GatewayHarness gw, long sale, String authorization, String idempotencyKey) {
    var request = gw.http.post("/api/sales/" + sale + "/purchases");
    if (authorization != null) request.putHeader("authorization", authorization);
    if (idempotencyKey != null) request.putHeader("idempotency-key", idempotencyKey);
    return request.sendJsonObject(new JsonObject().put("quantity", 1));
  }

  private static void assertSoldOutProblem(HttpResponse<Buffer> r, long sale) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(409);
    assertThat(r.getHeader("content-type")).isEqualTo("application/problem+json");
    assertThat(r.bodyAsJsonObject().getString("type")).endsWith("/sold-out");
    assertThat(r.bodyAsJsonObject().getString("instance"))
        .isEqualTo("/api/sales/" + sale + "/purchases");
  }
}
