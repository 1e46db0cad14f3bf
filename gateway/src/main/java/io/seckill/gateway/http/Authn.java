package io.seckill.gateway.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.seckill.gateway.domain.Text;
import io.seckill.platform.auth.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Bearer JWT (HS256) authentication with vertx-auth-jwt. A verified token is remembered until it
 * expires (at most five minutes), so a buyer hammering the purchase endpoint costs one signature
 * check, not one per request.
 */
public final class Authn {
  /** Who is calling. */
  public record Caller(String userId, boolean admin, long expiresAtMillis) {}

  private static final int MAX_TOKEN_LENGTH = 4096;

  /** The longest subject taken (it becomes the order's user id). */
  private static final int MAX_SUBJECT_LENGTH = 128;

  /** Verified tokens remembered; one per active buyer, a few hundred bytes each. */
  private static final long VERIFIED_KEPT = 500_000;

  /** How long a verified token is remembered (never past its own expiry, checked at every use). */
  private static final Duration VERIFIED_FOR = Duration.ofMinutes(5);

  private final JWTAuth jwt;
  private final Cache<String, Caller> verified =
      Caffeine.newBuilder()
          .maximumSize(VERIFIED_KEPT)
          .expireAfterWrite(VERIFIED_FOR)
          .executor(Runnable::run)
          .build();

  /**
   * Milliseconds a token stays good past its exp (and may be early on nbf/iat): clocks of minting
   * hosts drift.
   */
  private final long leewayMillis;

  /**
   * @param leeway clock skew tolerated on exp, nbf and iat (SECKILL_JWT_LEEWAY_SECONDS)
   */
  public Authn(Vertx vertx, String secret, Duration leeway) {
    this.leewayMillis = leeway.toMillis();
    this.jwt =
        JWTAuth.create(
            vertx,
            Tokens.options(secret)
                .setJWTOptions(new JWTOptions().setLeeway((int) leeway.toSeconds())));
  }

  public Future<Caller> authenticate(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.failedFuture(Problem.UNAUTHORIZED.with("missing bearer token"));
    }
    // trim() would strip control characters too, and accept "Bearer \u0007<token>": refuse them
    // instead.
    if (Text.whyNotStorable(authorization) != null)
      return Future.failedFuture(Problem.UNAUTHORIZED.with("malformed bearer token"));
    String token = authorization.substring(7).trim();
    if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      return Future.failedFuture(Problem.UNAUTHORIZED.with("malformed bearer token"));
    }
    Caller cached = verified.getIfPresent(token);
    long now = System.currentTimeMillis();
    if (cached != null) {
      return cached.expiresAtMillis() + leewayMillis > now
          ? Future.succeededFuture(cached)
          : Future.failedFuture(Problem.UNAUTHORIZED.with("the token has expired"));
    }
    Future<User> verifying;
    try {
      verifying = jwt.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      // vertx-auth-jwt throws instead of failing for some well-signed but malformed claims (e.g.
      // "exp": "tomorrow").
      return Future.failedFuture(Problem.UNAUTHORIZED.with("invalid or expired token"));
    }
    return verifying
        .recover(e -> Future.failedFuture(Problem.UNAUTHORIZED.with("invalid or expired token")))
        .map(
            user -> {
              JsonObject claims = user.principal();
              Object sub = claims.getValue("sub");
              // vertx-auth-jwt moves the registered time claims from the principal into the user's
              // attributes.
              Object exp =
                  claims.containsKey("exp")
                      ? claims.getValue("exp")
                      : user.attributes().getValue("exp");
              if (exp == null && user.attributes().getValue("accessToken") instanceof JsonObject at)
                exp = at.getValue("exp");
              if (!(sub instanceof String s) || s.isBlank() || s.length() > MAX_SUBJECT_LENGTH) {
                throw Problem.UNAUTHORIZED.with("the token has no subject");
              }
              // The subject is stored as the order's user id: refuse here what PostgreSQL would
              // refuse after a 202.
              String why = Text.whyNotStorable(s);
              if (why != null) throw Problem.UNAUTHORIZED.with("the token's subject " + why);
              if (!(exp instanceof Number e))
                throw Problem.UNAUTHORIZED.with("the token has no expiry");
              boolean admin = Tokens.ADMIN_ROLE.equals(claims.getValue(Tokens.ROLE_CLAIM));
              Caller caller = new Caller(s, admin, TimeUnit.SECONDS.toMillis(e.longValue()));
              if (caller.expiresAtMillis() + leewayMillis <= now)
                throw Problem.UNAUTHORIZED.with("the token has expired");
              verified.put(token, caller);
              return caller;
            });
  }

  public Future<Caller> admin(String authorization) {
    return authenticate(authorization)
        .map(
            c -> {
              if (!c.admin()) throw Problem.FORBIDDEN.with("this endpoint needs an admin token");
              return c;
            });
  }
}
