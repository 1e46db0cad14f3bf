package io.seckill.gateway.http;

import io.seckill.gateway.audit.Audits;
import io.seckill.gateway.domain.Orders;
import io.seckill.gateway.domain.PaymentRequest;
import io.seckill.gateway.domain.Problem;
import io.seckill.gateway.domain.ProblemException;
import io.seckill.gateway.metrics.GatewayMetrics;
import io.seckill.gateway.domain.PurchaseRequest;
import io.seckill.gateway.domain.Purchases;
import io.seckill.gateway.domain.RateLimiter;
import io.seckill.gateway.domain.SaleRequest;
import io.seckill.gateway.domain.Text;
import io.seckill.gateway.handoff.SentMarker;
import io.seckill.gateway.kafka.LagMonitor;
import io.seckill.gateway.sale.SaleCatalog;
import io.seckill.inventory.Inventory;
import io.seckill.platform.auth.Tokens;
import io.seckill.platform.store.Sale;
import io.seckill.platform.store.SaleStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** The HTTP API of SPEC §3. One instance per event loop; all of them share the services handed in. */
public final class HttpVerticle extends VerticleBase {

  /**
   * What one instance owns: its Redis connection and its purchase path, created on its own event loop so every
   * admission comes back on that loop (the shared Kafka producer answers each loop on its own context too).
   */
  public record Local(Inventory inventory, Purchases purchases) {
  }

  /** What every instance shares; `local` is called once per instance, on its event loop. */
  public record Services(String host, int port, int maxBodyBytes, ConnectionLimit connections, Authn authn, RateLimiter limits, Supplier<Local> local,
                         Orders orders, Audits audits, SaleStore sales, SaleCatalog catalog, Inventory inventory, LongSupplier ids,
                         GatewayMetrics metrics, LagMonitor lag, OrderWatch watch, Tokens demoTokens,
                         Handler<Router> extraRoutes) {
  }

  private final Services s;
  private Local local;
  private SentMarker marker;
  /** Sold-out answers by request path, encoded once (this loop's only). */
  private final Map<String, Buffer> soldOutBodies = new HashMap<>();
  private HttpServer server;

  public HttpVerticle(Services services) {
    this.s = services;
  }

  @Override
  public Future<?> start() {
    local = s.local().get();
    marker = new SentMarker(vertx, local.inventory(), 20);
    Router router = Router.router(vertx);
    // First of all: a sold-out sale answers an unkeyed purchase before the body is read or anything else runs.
    router.post("/api/sales/:saleId/purchases").handler(ctx -> {
      if (!refusedAsSoldOut(ctx)) ctx.next();
    });
    // No endpoint takes a form. BodyHandler would decode one into form attributes and leave the body empty, which a
    // purchase reads as {"quantity": 1}: a multipart request with any content was admitted.
    router.route().handler(ctx -> {
      String type = ctx.request().getHeader("content-type");
      if (type != null && (type.regionMatches(true, 0, "multipart/", 0, 10)
          || type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33))) {
        Problems.send(ctx, Problem.UNSUPPORTED_MEDIA_TYPE, "the body must be JSON, not a form", 0);
      } else {
        ctx.next();
      }
    });
    router.route().handler(BodyHandler.create(false).setBodyLimit(s.maxBodyBytes()));

    router.post("/admin/sales").handler(this::createSale);
    router.get("/admin/sales/:saleId/audit").handler(this::audit);
    router.get("/admin/sales/:saleId/orders").handler(this::listOrders);
    router.get("/admin/sales/:saleId/live").handler(this::live);
    router.get("/api/sales").handler(this::recentSales);
    router.get("/api/sales/:saleId").handler(this::getSale);
    router.post("/api/sales/:saleId/purchases").handler(this::purchase);
    router.get("/api/orders/:orderId").handler(this::getOrder);
    router.post("/api/orders/:orderId/payment").handler(this::pay);
    router.delete("/api/orders/:orderId").handler(this::cancel);
    router.get("/api/orders/:orderId/events").handler(this::orderEvents);
    router.get("/api/noop").handler(this::noop);
    if (s.demoTokens() != null) router.get("/demo/token").handler(this::demoToken);
    WebPages.mount(router);
    s.extraRoutes().handle(router);

    router.route().failureHandler(Problems::handle);
    router.errorHandler(404, ctx -> Problems.send(ctx, Problem.NOT_FOUND, "no route " + ctx.request().path(), 0));
    router.errorHandler(405, ctx -> Problems.send(ctx, Problem.METHOD_NOT_ALLOWED, null, 0));
    router.errorHandler(413, ctx -> Problems.send(ctx, Problem.PAYLOAD_TOO_LARGE, "at most " + s.maxBodyBytes() + " bytes", 0));
    router.errorHandler(500, Problems::handle);

    server = vertx.createHttpServer(new HttpServerOptions().setHost(s.host()).setPort(s.port())
        .setTcpNoDelay(true).setIdleTimeout(60).setMaxHeaderSize(16 * 1024));
    return server.connectionHandler(s.connections()::opened)
        .requestHandler(request -> {
          if (!s.connections().shed(request)) router.handle(request);
        })
        .listen();
  }

  @Override
  public Future<?> stop() {
    marker.close();
    return server == null ? Future.<Void>succeededFuture() : server.close();
  }

  public int actualPort() {
    return server.actualPort();
  }

  private void createSale(RoutingContext ctx) {
    s.authn().admin(ctx.request().getHeader("authorization"))
        .map(admin -> SaleRequest.parse(ctx.body().buffer(), s.ids().getAsLong()))
        .compose(sale -> s.sales().insert(sale))
        .compose(sale -> s.inventory().loadSale(sale).map(loaded -> sale))
        .onSuccess(sale -> {
          s.catalog().remember(sale);
          ctx.response().setStatusCode(201).putHeader("location", "/api/sales/" + sale.id());
          json(ctx, Views.sale(sale, sale.initialStock()));
        })
        .onFailure(ctx::fail);
  }

  private void audit(RoutingContext ctx) {
    s.authn().admin(ctx.request().getHeader("authorization"))
        .compose(admin -> s.audits().audit(id(ctx.pathParam("saleId"))))
        .onSuccess(report -> json(ctx, report))
        .onFailure(ctx::fail);
  }

  private void listOrders(RoutingContext ctx) {
    s.authn().admin(ctx.request().getHeader("authorization"))
        .compose(admin -> s.audits().sale(id(ctx.pathParam("saleId"))))
        .onSuccess(sale -> new OrderListStream(s.audits(), ctx.response(), sale.id()).start())
        .onFailure(ctx::fail);
  }

  /** Everything the live dashboard shows for a sale, in one call per second. */
  private void live(RoutingContext ctx) {
    s.authn().admin(ctx.request().getHeader("authorization"))
        .compose(admin -> s.audits().audit(id(ctx.pathParam("saleId"))))
        .onSuccess(audit -> json(ctx, audit.put("admissions", new JsonObject(new java.util.HashMap<>(s.metrics().admissionTotals())))
            .put("ordersLag", lagJson())))
        .onFailure(ctx::fail);
  }

  private JsonObject lagJson() {
    JsonObject lag = new JsonObject();
    s.lag().lagByPartition().forEach((p, l) -> lag.put(Integer.toString(p), l));
    return lag;
  }

  private void getSale(RoutingContext ctx) {
    s.limits().checkIp(ip(ctx));
    long saleId = id(ctx.pathParam("saleId"));
    s.catalog().find(saleId)
        .map(found -> found.orElseThrow(() -> Problem.SALE_NOT_FOUND.with("no sale " + ctx.pathParam("saleId"))))
        .compose(sale -> s.inventory().stockLeft(sale.id()).map(stock -> Views.sale(sale, stock.orElse(0L))))
        .onSuccess(view -> json(ctx, view))
        .onFailure(ctx::fail);
  }

  /** Sales that ended less than a day ago or later, newest first: lets the buyer page and dashboard offer a choice. */
  private void recentSales(RoutingContext ctx) {
    s.limits().checkIp(ip(ctx));
    s.catalog().recent()
        .compose(all -> {
          List<Sale> newest = new ArrayList<>(all.subList(Math.max(0, all.size() - RECENT_SALES), all.size()));
          Collections.reverse(newest);
          return Future.all(newest.stream()
              .map(sale -> s.inventory().stockLeft(sale.id()).map(stock -> Views.sale(sale, stock.orElse(0L))))
              .toList());
        })
        .onSuccess(views -> json(ctx, new JsonObject().put("sales", new JsonArray(views.list()))))
        .onFailure(ctx::fail);
  }

  private void purchase(RoutingContext ctx) {
    String ip = ip(ctx);
    s.authn().authenticate(ctx.request().getHeader("authorization"))
        .compose(caller -> {
          long saleId = id(ctx.pathParam("saleId"));
          PurchaseRequest request = PurchaseRequest.parse(ctx.body().buffer(), ctx.request().getHeader("idempotency-key"));
          s.limits().checkBuckets(caller.userId(), ip);
          s.limits().enter();
          return local.purchases().purchase(saleId, caller.userId(), request, marker).andThen(done -> s.limits().done());
        })
        .onComplete(r -> s.metrics().admission(r.succeeded() ? "accepted"
            : r.cause() instanceof ProblemException p ? p.problem().slug() : "error"))
        .onSuccess(orderId -> {
          ctx.response().setStatusCode(202).putHeader("location", "/api/orders/" + orderId);
          json(ctx, Views.queued(orderId));
        })
        .onFailure(ctx::fail);
  }

  /**
   * A purchase without an Idempotency-Key for a sale this gateway knows is sold out is refused before anything else: no
   * token check, no body, no Redis. It changes nothing and tells nothing that GET /api/sales/{id} does not. A keyed one
   * goes on (it may be the replay of an admitted order; Purchases answers it from the sale's snapshot of keys).
   */
  private boolean refusedAsSoldOut(RoutingContext ctx) {
    if (ctx.request().getHeader("idempotency-key") != null) return false;
    long saleId = quietId(ctx.pathParam("saleId"));
    if (saleId == 0 || !s.catalog().isSoldOut(saleId)) return false;
    s.metrics().admission(Problem.SOLD_OUT.slug());
    String path = ctx.request().path();
    Buffer body = soldOutBodies.get(path);
    if (body == null) {
      if (soldOutBodies.size() >= 1_000) soldOutBodies.clear();
      body = Problems.body(Problem.SOLD_OUT, "sale " + saleId + " is sold out", path);
      soldOutBodies.put(path, body);
    }
    ctx.response().setStatusCode(Problem.SOLD_OUT.status()).putHeader("content-type", Problems.CONTENT_TYPE).end(body);
    return true;
  }

  private static long quietId(String text) {
    try {
      long id = Long.parseLong(text);
      return id > 0 ? id : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private void getOrder(RoutingContext ctx) {
    s.authn().authenticate(ctx.request().getHeader("authorization"))
        .compose(caller -> s.orders().find(orderId(ctx), caller.userId()))
        .onSuccess(order -> json(ctx, Views.order(order)))
        .onFailure(ctx::fail);
  }

  private void pay(RoutingContext ctx) {
    s.authn().authenticate(ctx.request().getHeader("authorization"))
        .compose(caller -> {
          long orderId = orderId(ctx);
          PaymentRequest payment = PaymentRequest.parse(ctx.body().buffer());
          return s.orders().pay(orderId, caller.userId(), payment.paymentRef());
        })
        .onSuccess(order -> json(ctx, Views.order(order)))
        .onFailure(ctx::fail);
  }

  private void cancel(RoutingContext ctx) {
    s.authn().authenticate(ctx.request().getHeader("authorization"))
        .compose(caller -> s.orders().cancel(orderId(ctx), caller.userId()))
        .onSuccess(order -> json(ctx, Views.order(order)))
        .onFailure(ctx::fail);
  }

  /**
   * Server-Sent Events: the order's status now and at every change, until it is final. Browsers' EventSource cannot
   * send headers, so this route also takes the token as ?access_token=. Later statuses come from the gateway's one
   * shared poll (OrderWatch), which also caps the streams a user may hold.
   */
  private void orderEvents(RoutingContext ctx) {
    String header = ctx.request().getHeader("authorization");
    String query = ctx.request().getParam("access_token");
    long orderId = orderId(ctx);
    s.authn().authenticate(header != null ? header : query == null ? null : "Bearer " + query)
        .compose(caller -> s.orders().find(orderId, caller.userId()).map(first -> {
          OrderEventStream stream = new OrderEventStream(vertx, ctx.response());
          stream.start(first, s.watch().watch(orderId, caller.userId(), stream::show));
          return stream;
        }))
        .onFailure(ctx::fail);
  }

  /**
   * `up` and `demo` only: a buyer token for any user id, so a reviewer can click through the page. Never an admin
   * token: anyone who reaches the port could run the sales. The dashboard's admin token comes in the URL that `up` prints.
   */
  private void demoToken(RoutingContext ctx) {
    String admin = ctx.request().getParam("admin");
    if (admin != null && !"false".equals(admin)) {
      throw Problem.FORBIDDEN.with("the demo route mints buyer tokens only; open the dashboard URL that `seckill up` prints");
    }
    String user = ctx.request().getParam("user", "demo-buyer");
    if (user.isBlank() || user.length() > 64) throw Problem.INVALID_REQUEST.with("user must be 1-64 characters");
    Text.storable("user", user);
    json(ctx, new JsonObject().put("user", user).put("token", s.demoTokens().user(user, 86_400)));
  }

  /** The baseline of the benchmarks: the same server and router, no work. */
  private void noop(RoutingContext ctx) {
    json(ctx, NOOP);
  }

  private static final int RECENT_SALES = 20;
  private static final JsonObject NOOP = new JsonObject().put("ok", true);

  private static long orderId(RoutingContext ctx) {
    try {
      return id(ctx.pathParam("orderId"));
    } catch (RuntimeException e) {
      throw Problem.ORDER_NOT_FOUND.with("no order " + ctx.pathParam("orderId"));
    }
  }

  /** Ids are positive longs; anything else names no sale (404 rather than 400: an id is opaque to the client). */
  private static long id(String text) {
    try {
      long id = Long.parseLong(text);
      if (id > 0) return id;
    } catch (NumberFormatException ignored) {
      // fall through
    }
    throw Problem.SALE_NOT_FOUND.with("no sale " + text);
  }

  private static String ip(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
  }

  private static void json(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("content-type", "application/json").end(body.toBuffer());
  }

}
