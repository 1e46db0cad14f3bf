package io.seckill.gateway.http;

import io.seckill.gateway.http.Authn.Caller;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Authentication as a route handler (as vertx-in-action's services do with JWTAuthHandler): it
 * verifies the bearer token, puts the caller on the routing context and passes on, or fails the
 * request with 401/403. Handlers behind it read the caller with {@link #caller}.
 */
public final class Authentication {
  private static final String CALLER = "seckill.caller";

  private final Authn authn;

  public Authentication(Authn authn) {
    this.authn = authn;
  }

  /** The caller put on the context by one of this class's handlers. */
  static Caller caller(RoutingContext ctx) {
    return ctx.get(CALLER);
  }

  /** Any valid token. */
  Handler<RoutingContext> user() {
    return ctx -> proceed(ctx, authn.authenticate(ctx.request().getHeader("authorization")));
  }

  /** An admin token (403 for a buyer's). */
  Handler<RoutingContext> admin() {
    return ctx -> proceed(ctx, authn.admin(ctx.request().getHeader("authorization")));
  }

  /**
   * Any valid token, from the Authorization header or else from ?access_token=: browsers'
   * EventSource cannot send headers, so the order's event stream takes it in the query.
   */
  Handler<RoutingContext> userOrQueryToken() {
    return ctx -> {
      String header = ctx.request().getHeader("authorization");
      String query = header != null ? null : ctx.request().getParam("access_token");
      proceed(
          ctx,
          authn.authenticate(header != null ? header : query == null ? null : "Bearer " + query));
    };
  }

  private static void proceed(RoutingContext ctx, Future<Caller> verified) {
    // A token seen before is answered from the cache with a completed future: go on without a
    // callback.
    if (verified.succeeded()) {
      ctx.put(CALLER, verified.result());
      ctx.next();
    } else if (verified.failed()) {
      ctx.fail(verified.cause());
    } else {
      verified.onComplete(
          r -> {
            if (r.failed()) {
              ctx.fail(r.cause());
            } else {
              ctx.put(CALLER, r.result());
              ctx.next();
            }
          });
    }
  }
}
