package io.seckill.platform.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/**
 * HS256 tokens: the user id in `sub`, admins carry "role": "admin". The gateway verifies with the
 * same secret.
 */
public final class Tokens {
  public static final String ROLE_CLAIM = "role";
  public static final String ADMIN_ROLE = "admin";

  private final JWTAuth auth;

  public Tokens(Vertx vertx, String secret) {
    this.auth = JWTAuth.create(vertx, options(secret));
  }

  public static JWTAuthOptions options(String secret) {
    return new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret));
  }

  public JWTAuth auth() {
    return auth;
  }

  public String user(String userId, long ttlSeconds) {
    return auth.generateToken(
        new JsonObject().put("sub", userId),
        new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds((int) ttlSeconds));
  }

  public String admin(String adminId, long ttlSeconds) {
    return auth.generateToken(
        new JsonObject().put("sub", adminId).put(ROLE_CLAIM, ADMIN_ROLE),
        new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds((int) ttlSeconds));
  }
}
