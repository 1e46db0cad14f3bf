package io.seckill.loadtest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256 tokens as the gateway expects them (docs/SPEC.md §3). Minted here rather than by `seckill
 * token` so that a run of 100,000 buyers does not start 100,000 processes, and so that the abuse
 * scenario can forge and expire tokens.
 */
public final class Jwt {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final String HEADER =
      B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  private final SecretKeySpec key;
  // Mac is not thread-safe and Gatling signs from all its event loops at once.
  private final ThreadLocal<Mac> macs;

  public Jwt(String secret) {
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.macs =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
              }
            });
  }

  public String user(String userId, long ttlSeconds) {
    long now = System.currentTimeMillis() / 1000;
    return sign(
        "{\"sub\":\"" + userId + "\",\"iat\":" + now + ",\"exp\":" + (now + ttlSeconds) + "}");
  }

  public String admin(String adminId, long ttlSeconds) {
    long now = System.currentTimeMillis() / 1000;
    return sign(
        "{\"sub\":\""
            + adminId
            + "\",\"role\":\"admin\",\"iat\":"
            + now
            + ",\"exp\":"
            + (now + ttlSeconds)
            + "}");
  }

  /**
   * Signs any payload as given: the abuse scenario uses it for tokens without exp or already
   * expired.
   */
  public String sign(String payloadJson) {
    String signingInput =
        HEADER + "." + B64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
    byte[] sig = macs.get().doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + B64.encodeToString(sig);
  }
}
