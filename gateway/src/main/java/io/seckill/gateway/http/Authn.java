package io.seckill.gateway.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.seckill.gateway.domain.Problem;
import io.seckill.platform.auth.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.time.Duration;

/**
 * Bearer JWT (HS256) authentication with vertx-auth-jwt. A verified token is remembered until it expires (at most five
 * minutes), so a buyer hammering the purchase endpoint costs one signature check, not one per request.
 */
public final class Authn {
  /** Who is calling. */
  public record Caller(String userId, boolean admin, long expiresAtMillis) {
  }

  private static final int MAX_TOKEN_LENGTH = 4096;

  private final JWTAuth jwt;
  private final Cache<String, Caller> verified =
      Caffeine.newBuilder().maximumSize(500_000).expireAfterWrite(Duration.ofMinutes(5)).executor(Runnable::run).build();

  public Authn(Vertx vertx, String secret) {
    this.jwt = JWTAuth.create(vertx, Tokens.options(secret));
  }

  public Future<Caller> authenticate(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.failedFuture(Problem.UNAUTHORIZED.with("missing bearer token"));
    }
    String token = authorization.substring(7).trim();
    if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      return Future.failedFuture(Problem.UNAUTHORIZED.with("malformed bearer token"));
    }
    Caller cached = verified.getIfPresent(token);
    long now = System.currentTimeMillis();
    if (cached != null) {
      return cached.expiresAtMillis() > now ? Future.succeededFuture(cached)
          : Future.failedFuture(Problem.UNAUTHORIZED.with("the token has expired"));
    }
    Future<io.vertx.ext.auth.User> verifying;
    try {
      verifying = jwt.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      // vertx-auth-jwt throws instead of failing for some well-signed but malformed claims (e.g. "exp": "tomorrow").
      return Future.failedFuture(Problem.UNAUTHORIZED.with("invalid or expired token"));
    }
    return verifying
        .recover(e -> Future.failedFuture(Problem.UNAUTHORIZED.with("invalid or expired token")))
        .map(user -> {
          JsonObject claims = user.principal();
          Object sub = claims.getValue("sub");
          // vertx-auth-jwt moves the registered time claims from the principal into the user's attributes.
          Object exp = claims.containsKey("exp") ? claims.getValue("exp") : user.attributes().getValue("exp");
          if (exp == null && user.attributes().getValue("accessToken") instanceof JsonObject at) exp = at.getValue("exp");
          if (!(sub instanceof String s) || s.isBlank() || s.length() > 128) {
            throw Problem.UNAUTHORIZED.with("the token has no subject");
          }
          if (!(exp instanceof Number e)) throw Problem.UNAUTHORIZED.with("the token has no expiry");
          Caller caller = new Caller(s, Tokens.ADMIN_ROLE.equals(claims.getValue(Tokens.ROLE_CLAIM)), e.longValue() * 1000);
          if (caller.expiresAtMillis() <= now) throw Problem.UNAUTHORIZED.with("the token has expired");
          verified.put(token, caller);
          return caller;
        });
  }

  public Future<Caller> admin(String authorization) {
    return authenticate(authorization).map(c -> {
      if (!c.admin()) throw Problem.FORBIDDEN.with("this endpoint needs an admin token");
      return c;
    });
  }
}
