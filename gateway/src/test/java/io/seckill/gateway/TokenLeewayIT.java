package io.seckill.gateway;

import static io.seckill.platform.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.config.Settings;
import io.seckill.platform.testing.TestServers;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A few seconds of clock skew between the host that mints a token and a gateway must not reject
 * fresh tokens (SECKILL_JWT_LEEWAY_SECONDS, default 5, on exp, nbf and iat); more than that is
 * still refused.
 */
class TokenLeewayIT {
  static GatewayHarness withDefault;
  static GatewayHarness withoutLeeway;

  @BeforeAll
  static void start() {
    withDefault = new GatewayHarness(TestServers.env("leeway-default"));
    withoutLeeway =
        new GatewayHarness(
            TestServers.env("leeway-zero", Map.of(Settings.JWT_LEEWAY_SECONDS.env(), "0")));
  }

  @AfterAll
  static void stop() {
    if (withDefault != null) withDefault.close();
    if (withoutLeeway != null) withoutLeeway.close();
  }

  @Test
  void aTokenMintedAFewSecondsInTheFutureIsAcceptedWithinTheDefaultLeeway() {
    long now = now();
    assertThat(
            status(
                withDefault,
                "{\"sub\":\"early\",\"iat\":"
                    + (now + 3)
                    + ",\"nbf\":"
                    + (now + 3)
                    + ",\"exp\":"
                    + (now + 3600)
                    + "}"))
        .isEqualTo(404);
  }

  @Test
  void aTokenThatExpiredAFewSecondsAgoIsAcceptedWithinTheDefaultLeeway() {
    long now = now();
    assertThat(
            status(
                withDefault,
                "{\"sub\":\"late\",\"iat\":" + (now - 3600) + ",\"exp\":" + (now - 3) + "}"))
        .isEqualTo(404);
  }

  @Test
  void tokensOutsideTheLeewayAreRefused() {
    long now = now();
    assertThat(
            status(
                withDefault,
                "{\"sub\":\"future-iat\",\"iat\":" + (now + 30) + ",\"exp\":" + (now + 3600) + "}"))
        .isEqualTo(401);
    assertThat(
            status(
                withDefault,
                "{\"sub\":\"future-nbf\",\"iat\":"
                    + now
                    + ",\"nbf\":"
                    + (now + 30)
                    + ",\"exp\":"
                    + (now + 3600)
                    + "}"))
        .isEqualTo(401);
    assertThat(
            status(
                withDefault,
                "{\"sub\":\"expired\",\"iat\":" + (now - 3600) + ",\"exp\":" + (now - 30) + "}"))
        .isEqualTo(401);
  }

  @Test
  void theLeewayIsASettingAndZeroMeansNone() {
    long now = now();
    assertThat(
            status(
                withoutLeeway,
                "{\"sub\":\"late\",\"iat\":" + (now - 3600) + ",\"exp\":" + (now - 3) + "}"))
        .isEqualTo(401);
    assertThat(
            status(
                withoutLeeway,
                "{\"sub\":\"early\",\"iat\":"
                    + (now + 3)
                    + ",\"nbf\":"
                    + (now + 3)
                    + ",\"exp\":"
                    + (now + 3600)
                    + "}"))
        .isEqualTo(401);
    assertThat(
            status(
                withoutLeeway,
                "{\"sub\":\"fresh\",\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}"))
        .isEqualTo(404);
  }

  /** An authenticated read of an order nobody has: 404 when the token is accepted, 401 when not. */
  private static int status(GatewayHarness gw, String claims) {
    String token = sign(gw.env.get(Settings.JWT_SECRET), claims);
    HttpResponse<Buffer> r =
        await(gw.http.get("/api/orders/4242").putHeader("authorization", "Bearer " + token).send());
    return r.statusCode();
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /** HS256 by hand: the minting library would not set iat/nbf in the future. */
  private static String sign(String secret, String claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String signing =
        b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return signing
          + "."
          + b64.encodeToString(mac.doFinal(signing.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
