package io.seckill.gateway.http;

import io.seckill.gateway.domain.Purchases;
import io.seckill.gateway.domain.RateLimiter;
import io.seckill.gateway.handoff.SentMarker;
import io.seckill.gateway.http.Authn.Caller;
import io.seckill.gateway.metrics.GatewayMetrics;
import io.seckill.gateway.sale.SaleCatalog;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/**
 * POST /api/sales/{saleId}/purchases, the hot path. One instance per event loop, with that loop's
 * purchase path. Its first handler, before the body is read, refuses a purchase of a sale known to
 * be sold out unless its Idempotency-Key is one the sale admitted; then the token, the body, the
 * buckets, the in-flight cap, and Purchases. Every answer is counted by outcome.
 */
public final class PurchaseRoutes implements Routes {
  static final String PATH = "/api/sales/:saleId/purchases";

  /**
   * Sold-out answers kept encoded per request path; a flood of distinct paths only empties the
   * cache.
   */
  private static final int SOLD_OUT_BODIES_KEPT = 1_000;

  private final Authentication authentication;
  private final RateLimiter limits;
  private final Purchases purchases;
  private final SentMarker marker;
  private final SaleCatalog catalog;
  private final GatewayMetrics metrics;

  /** Sold-out answers by request path, encoded once (this loop's only). */
  private final Map<String, Buffer> soldOutBodies = new HashMap<>();

  /**
   * @param marker this loop's batch of acknowledged orders, flushed and closed with the routes
   */
  public PurchaseRoutes(
      Authentication authentication,
      RateLimiter limits,
      Purchases purchases,
      SentMarker marker,
      SaleCatalog catalog,
      GatewayMetrics metrics) {
    this.authentication = authentication;
    this.limits = limits;
    this.purchases = purchases;
    this.marker = marker;
    this.catalog = catalog;
    this.metrics = metrics;
  }

  @Override
  public void mountBeforeBody(Router router) {
    router
        .post(PATH)
        .handler(
            ctx -> {
              if (!refusedAsSoldOut(ctx)) ctx.next();
            });
  }

  @Override
  public void mount(Router router) {
    router
        .post(PATH)
        .handler(authentication.user())
        .handler(this::purchase)
        // Refusals of this route (token, body, buckets, rules) are counted here, then answered by
        // Problems.
        .failureHandler(
            ctx -> {
              if (ctx.failure() != null) metrics.admission(outcome(ctx.failure()));
              ctx.next();
            });
  }

  @Override
  public void close() {
    marker.close();
  }

  private void purchase(RoutingContext ctx) {
    Caller caller = Authentication.caller(ctx);
    long saleId = Requests.saleId(ctx);
    PurchaseRequest request =
        PurchaseRequest.parse(ctx.body().buffer(), ctx.request().getHeader("idempotency-key"));
    limits.checkBuckets(caller.userId(), Requests.ip(ctx));
    limits.enter();
    Future<Long> purchasing;
    try {
      purchasing =
          purchases.purchase(saleId, caller.userId(), request.quantity(), request.idempotencyKey());
    } catch (RuntimeException e) {
      limits.done();
      throw e;
    }
    purchasing.onComplete(
        r -> {
          limits.done();
          if (r.succeeded()) {
            metrics.admission("accepted");
            long orderId = r.result();
            ctx.response()
                .setStatusCode(202)
                .putHeader("location", "/api/orders/" + orderId)
                .putHeader("content-type", "application/json")
                .end(Views.queued(orderId));
          } else {
            ctx.fail(r.cause());
          }
        });
  }

  private static String outcome(Throwable failure) {
    Problem refusal = Problems.of(failure);
    return refusal == null ? "error" : refusal.slug();
  }

  /**
   * A purchase of a sale this gateway knows is sold out is refused before anything else (no token
   * check, no body, no Redis) when it carries no Idempotency-Key, or one that no admitted order of
   * the sale carries (once the sale's snapshot of keys has loaded). It changes nothing and tells
   * nothing that GET /api/sales/{id} does not: an unknown key gets the same answer whoever sends
   * it. A key admitted for anyone goes on (it may be the replay of an admitted order; Purchases
   * answers it from the snapshot, after the token).
   */
  private boolean refusedAsSoldOut(RoutingContext ctx) {
    String key = ctx.request().getHeader("idempotency-key");
    long saleId = Requests.quietId(ctx.pathParam("saleId"));
    if (saleId == 0) return false;
    if (key == null ? !catalog.isSoldOut(saleId) : !catalog.refusesKey(saleId, key)) return false;
    metrics.admission(Problem.SOLD_OUT.slug());
    String path = ctx.request().path();
    Buffer body = soldOutBodies.get(path);
    if (body == null) {
      if (soldOutBodies.size() >= SOLD_OUT_BODIES_KEPT) soldOutBodies.clear();
      body = Problems.body(Problem.SOLD_OUT, "sale " + saleId + " is sold out", path);
      soldOutBodies.put(path, body);
    }
    ctx.response()
        .setStatusCode(Problem.SOLD_OUT.status())
        .putHeader("content-type", Problems.CONTENT_TYPE)
        .end(body);
    return true;
  }
}
