package io.seckill.platform.auth;

import io.seckill.platform.config.Env;
import io.seckill.platform.config.Settings;
import java.nio.charset.StandardCharsets;

/**
 * The rule for the token secret outside `up` and `demo`: the default is printed in the README, so
 * anyone could sign an admin token with it, and an HS256 key shorter than the hash (32 bytes) can
 * be brute-forced offline from one token.
 */
public final class JwtSecret {
  public static final int MIN_BYTES = 32;

  private JwtSecret() {}

  /**
   * The secret, or an IllegalArgumentException naming SECKILL_JWT_SECRET that says what is wrong
   * with it.
   */
  public static String requireStrong(Env env) {
    String name = Settings.JWT_SECRET.env();
    if (!env.isSet(Settings.JWT_SECRET)) {
      throw new IllegalArgumentException(
          name
              + " is not set (or empty): give every gateway the same secret of at least "
              + MIN_BYTES
              + " random bytes, e.g. `openssl rand -base64 48`");
    }
    String secret = env.get(Settings.JWT_SECRET);
    if (secret.equals(Settings.JWT_SECRET.defaultValue())) {
      throw new IllegalArgumentException(
          name
              + " is the public development default, with which anyone can sign an admin"
              + " token: set a secret of at least "
              + MIN_BYTES
              + " random bytes, e.g. `openssl rand -base64 48`");
    }
    int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < MIN_BYTES) {
      throw new IllegalArgumentException(
          name
              + " is "
              + bytes
              + " bytes long; it must be at least "
              + MIN_BYTES
              + " random bytes, e.g. `openssl rand -base64 48`");
    }
    return secret;
  }
}
