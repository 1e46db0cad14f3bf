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
      Future<HttpResponse<Buffer>> anonymous =
          gw.http
              .post("/api/sales/" + sale + "/purchases")
              .sendJsonObject(new JsonObject().put("quantity", 1));
      Future<HttpResponse<Buffer>> badToken =
          gw.http
              .post("/api/sales/" + sale + "/purchases")
              .putHeader("authorization", "Bearer not-a-token")
              .sendJsonObject(new JsonObject().put("quantity", 1));
      for (Future<HttpResponse<Buffer>> f : List.of(keyed, anonymous, badToken)) {
        HttpResponse<Buffer> r = await(f);
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(409);
        assertThat(r.getHeader("content-type")).isEqualTo("application/problem+json");
        assertThat(r.bodyAsJsonObject().getString("type")).endsWith("/sold-out");
        assertThat(r.bodyAsJsonObject().getString("instance"))
            .isEqualTo("/api/sales/" + sale + "/purchases");
      }
      // A key that no admitted order of the sale carries is refused like no key at all, token or
      // not; an admitted key still needs a valid token: it belongs to a user.
      HttpResponse<Buffer> unknownKeyBadToken =
          await(
              gw.http
                  .post("/api/sales/" + sale + "/purchases")
                  .putHeader("authorization", "Bearer not-a-token")
                  .putHeader("idempotency-key", "k")
                  .sendJsonObject(new JsonObject().put("quantity", 1)));
      assertThat(unknownKeyBadToken.statusCode()).isEqualTo(409);
      HttpResponse<Buffer> admittedKeyBadToken =
          await(
              gw.http
                  .post("/api/sales/" + sale + "/purchases")
                  .putHeader("authorization", "Bearer not-a-token")
                  .putHeader("idempotency-key", "olga-key")
                  .sendJsonObject(new JsonObject().put("quantity", 1)));
      assertThat(admittedKeyBadToken.statusCode()).isEqualTo(401);
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
      HttpResponse<Buffer> noToken =
          await(
              gw.http
                  .post("/api/sales/" + sale + "/purchases")
                  .putHeader("idempotency-key", "never-admitted")
                  .sendJsonObject(new JsonObject().put("quantity", 1)));
      assertThat(noToken.statusCode()).as(noToken.bodyAsString()).isEqualTo(409);
      assertThat(noToken.getHeader("content-type")).isEqualTo("application/problem+json");
      assertThat(noToken.bodyAsJsonObject().getString("type")).endsWith("/sold-out");
      assertThat(noToken.bodyAsJsonObject().getString("instance"))
          .isEqualTo("/api/sales/" + sale + "/purchases");
      // The admitted key without a valid token is refused by the token check, as before.
      HttpResponse<Buffer> admittedNoToken =
          await(
              gw.http
                  .post("/api/sales/" + sale + "/purchases")
                  .putHeader("idempotency-key", "olga-key")
                  .sendJsonObject(new JsonObject().put("quantity", 1)));
      assertThat(admittedNoToken.statusCode()).isEqualTo(401);
      // Another user's admitted key gets no order: it is olga's key, not otto's.
      HttpResponse<Buffer> othersKey = await(gw.purchase(sale, "otto", "olga-key"));
      assertThat(othersKey.statusCode()).as(othersKey.bodyAsString()).isEqualTo(409);
      assertThat(othersKey.bodyAsJsonObject().getString("type")).endsWith("/sold-out");
      // The real replay gets its order back.
      HttpResponse<Buffer> replay = await(gw.purchase(sale, "olga", "olga-key"));
      assertThat(replay.statusCode()).as(replay.bodyAsString()).isEqualTo(202);
      assertThat(replay.bodyAsJsonObject()).isEqualTo(olga.bodyAsJsonObject());
      assertThat(gw.stock(sale)).isZero();
    }
  }
}
