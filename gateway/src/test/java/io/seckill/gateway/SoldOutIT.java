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
      whileRedisIsStalledASoldOutSaleStillAnswersUnkeyedAndNewKeyedPurchasesAt409AndAnUnkeyedOneNeedsNoToken() {
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
      // A keyed purchase still needs a valid token: the key belongs to a user.
      HttpResponse<Buffer> keyedBadToken =
          await(
              gw.http
                  .post("/api/sales/" + sale + "/purchases")
                  .putHeader("authorization", "Bearer not-a-token")
                  .putHeader("idempotency-key", "k")
                  .sendJsonObject(new JsonObject().put("quantity", 1)));
      assertThat(keyedBadToken.statusCode()).isEqualTo(401);
      sleep(2_600);
      // The replay of the admitted key still gets its order back.
      HttpResponse<Buffer> replay = await(gw.purchase(sale, "olga", "olga-key"));
      assertThat(replay.statusCode()).as(replay.bodyAsString()).isEqualTo(202);
      assertThat(replay.bodyAsJsonObject()).isEqualTo(bought.bodyAsJsonObject());
      assertThat(gw.stock(sale)).isZero();
    }
  }
}
