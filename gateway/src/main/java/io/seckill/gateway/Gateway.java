package io.seckill.gateway;

import io.seckill.gateway.audit.Audits;
import io.seckill.gateway.config.GatewayConfig;
import io.seckill.gateway.domain.AdmittedOrders;
import io.seckill.gateway.domain.GroupAdmission;
import io.seckill.gateway.domain.NodeIdLease;
import io.seckill.gateway.domain.OrderIds;
import io.seckill.gateway.domain.Orders;
import io.seckill.gateway.domain.Ports;
import io.seckill.gateway.domain.Purchases;
import io.seckill.gateway.domain.RateLimiter;
import io.seckill.gateway.domain.StockReturns;
import io.seckill.gateway.handoff.SentMarker;
import io.seckill.gateway.handoff.Sweeper;
import io.seckill.gateway.http.AdminRoutes;
import io.seckill.gateway.http.Authentication;
import io.seckill.gateway.http.Authn;
import io.seckill.gateway.http.ConnectionLimit;
import io.seckill.gateway.http.HealthRoutes;
import io.seckill.gateway.http.HttpVerticle;
import io.seckill.gateway.http.OrderRoutes;
import io.seckill.gateway.http.OrderWatch;
import io.seckill.gateway.http.PageRoutes;
import io.seckill.gateway.http.PurchaseRoutes;
import io.seckill.gateway.http.Routes;
import io.seckill.gateway.http.SaleRoutes;
import io.seckill.gateway.kafka.DueNowDeadlines;
import io.seckill.gateway.kafka.LagMonitor;
import io.seckill.gateway.kafka.OrderPublisher;
import io.seckill.gateway.metrics.GatewayMetrics;
import io.seckill.gateway.metrics.SaleGauges;
import io.seckill.gateway.sale.SaleCatalog;
import io.seckill.gateway.warmup.Warmup;
import io.seckill.inventory.Inventory;
import io.seckill.inventory.NodeLeases;
import io.seckill.inventory.PipelinedRedis;
import io.seckill.inventory.RestockListener;
import io.seckill.platform.auth.Tokens;
import io.seckill.platform.config.Servers;
import io.seckill.platform.lifecycle.Lifecycle;
import io.seckill.platform.store.OrderStore;
import io.seckill.platform.store.Postgres;
import io.seckill.platform.store.SaleStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the gateway's shared services and deploys one HTTP verticle per event loop. Schema and
 * topics must exist.
 */
public final class Gateway implements Lifecycle {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  private final Vertx vertx;
  private final GatewayConfig config;
  private final Consumer<Router> extraRoutes;
  private Redis redis;
  private Pool pg;
  private OrderPublisher publisher;
  private LagMonitor lag;
  private Sweeper sweeper;
  private SaleGauges saleGauges;
  private RestockListener restock;
  private NodeIdLease nodeLease;
  private StockReturns returns;
  private DueNowDeadlines dueNow;
  private OrderWatch watch;
  private String deployment;
  private volatile boolean shuttingDown;
  private volatile Warmup warmup;
  private OrderIds ids;
  private int port;
  private final Promise<Void> terminated = Promise.promise();
  private Future<Void> closing;

  public Gateway(Vertx vertx, GatewayConfig config) {
    this(vertx, config, router -> {});
  }

  /** extraRoutes lets the launcher add pages and dashboards without the gateway knowing them. */
  public Gateway(Vertx vertx, GatewayConfig config, Consumer<Router> extraRoutes) {
    this.vertx = vertx;
    this.config = config;
    this.extraRoutes = extraRoutes;
  }

  /** Completes with the port once the gateway listens; /health/ready says when it is warm. */
  @Override
  public Future<Integer> start() {
    Servers servers = config.servers();
    redis =
        Redis.createClient(
            vertx,
            new RedisOptions()
                .setConnectionString(servers.redisUri())
                .setMaxPoolSize(servers.redisPoolSize())
                .setMaxPoolWaiting(REDIS_WAITING_MAX)
                .setMaxWaitingHandlers(REDIS_WAITING_MAX));
    pg = Postgres.pool(vertx, servers, "gateway");
    // Admissions are pipelined on one connection: the pooled client holds a connection per command
    // until its reply,
    // which caps a gateway at pool-size admissions per round trip.
    Inventory inventory = new Inventory(new PipelinedRedis(redis), servers.callTimeout());
    SaleStore sales = new SaleStore(pg, servers.callTimeout());
    OrderStore orders = new OrderStore(pg, servers.callTimeout());
    SaleCatalog catalog = new SaleCatalog(sales, config.saleCacheTtl());
    GatewayMetrics metrics = new GatewayMetrics();
    publisher =
        new OrderPublisher(
            vertx, servers, metrics, config.ordersLingerMs(), config.ordersCompression());
    lag = new LagMonitor(vertx, servers, config.workerGroup(), config.lagCheckInterval(), metrics);
    sweeper =
        new Sweeper(
            vertx, inventory, catalog, publisher, config.sweepAfter(), config.sweepInterval());
    watch = new OrderWatch(vertx, orders, STATUS_POLL_MILLIS, STREAMS_PER_USER);
    dueNow = new DueNowDeadlines(vertx, servers);
    returns = new StockReturns(vertx, inventory, dueNow::write);
    restock = new RestockListener(vertx, servers.redisUri(), catalog::clearSoldOut);
    port = config.httpPort() == 0 ? freePort() : config.httpPort();

    Map<String, Supplier<Future<?>>> dependencies = new LinkedHashMap<>();
    dependencies.put("redis", inventory::ping);
    dependencies.put("postgresql", () -> pg.query("select 1").execute());
    dependencies.put("kafka", lag::ping);
    // Ready only once warm: a fresh JVM would meet the opening crowd interpreting its hot path.
    dependencies.put(
        "warm-up", () -> warmup == null ? Future.failedFuture("starting") : warmup.check());
    HealthRoutes health = new HealthRoutes(vertx, dependencies, () -> shuttingDown);

    Audits audits = new Audits(catalog, inventory, orders);
    saleGauges = new SaleGauges(vertx, catalog, audits, inventory, metrics);
    // Best effort: a gateway that cannot see Kafka yet still starts (readiness says why), and
    // answers 503 until it can.
    Future<Void> metadata =
        publisher
            .awaitMetadata(vertx, KAFKA_METADATA_WAIT_MILLIS)
            .recover(
                e -> {
                  log.warn(
                      "starting without Kafka metadata for the orders topic: {}", e.getMessage());
                  return Future.succeededFuture();
                });
    ids = OrderIds.leased(System::currentTimeMillis);
    nodeLease =
        new NodeIdLease(
            vertx, new NodeLeases(redis, servers.callTimeout()), ids, config.nodeLeaseTtl());
    return metadata
        .compose(ready -> nodeLease.start())
        .compose(
            node -> {
              RateLimiter limits =
                  new RateLimiter(
                      config.maxInFlight(),
                      config.userRatePerSecond(),
                      config.userBurst(),
                      config.ipRatePerSecond(),
                      config.ipBurst(),
                      config.rateLimitExemptIps());
              AdmittedOrders admitted =
                  new AdmittedOrders(ADMITTED_ORDERS_KEPT, ADMITTED_ORDERS_TTL);
              ConnectionLimit connections = new ConnectionLimit(config.maxConnections());
              metrics.connections(connections::open);
              Authentication authentication =
                  new Authentication(new Authn(vertx, config.jwtSecret(), config.jwtLeeway()));
              Orders orderRules =
                  new Orders(
                      Ports.rows(orders),
                      Ports.stock(inventory),
                      catalog,
                      admitted,
                      returns::giveBack);
              Tokens demoTokens =
                  config.demoTokens() ? new Tokens(vertx, config.jwtSecret()) : null;
              // Called by each HTTP verticle on its own event loop: its Redis connection, group
              // admission and purchase path are
              // created there, so every admission comes back on that loop (the shared producer
              // answers each loop on its own too).
              Supplier<List<Routes>> routes =
                  () -> {
                    Inventory own = new Inventory(new PipelinedRedis(redis), servers.callTimeout());
                    GroupAdmission groups =
                        new GroupAdmission(
                            vertx,
                            own,
                            config.admitWindow(),
                            config.admitGroupMax(),
                            metrics::admissionGroup);
                    SentMarker marker = new SentMarker(vertx, own, SENT_FLUSH_MILLIS);
                    Purchases purchases =
                        new Purchases(
                            vertx,
                            Ports.stock(own),
                            groups::admit,
                            catalog,
                            publisher::publish,
                            lag::lag,
                            ids::next,
                            admitted,
                            marker::sent,
                            config.maxOrdersLag(),
                            config.testSendDelay());
                    return List.of(
                        new AdminRoutes(
                            authentication,
                            sales,
                            inventory,
                            catalog,
                            ids::next,
                            audits,
                            metrics,
                            lag),
                        new SaleRoutes(limits, catalog, inventory),
                        new PurchaseRoutes(
                            authentication, limits, purchases, marker, catalog, metrics),
                        new OrderRoutes(authentication, orderRules, watch),
                        health,
                        new PageRoutes(demoTokens),
                        extraRoutes::accept);
                  };
              return vertx.deployVerticle(
                  () ->
                      new HttpVerticle(
                          config.httpHost(), port, config.maxBodyBytes(), connections, routes),
                  new DeploymentOptions().setInstances(config.httpInstances()));
            })
        .map(
            id -> {
              deployment = id;
              lag.start();
              sweeper.start();
              saleGauges.start();
              restock.start();
              watch.start();
              warmup =
                  new Warmup(
                      vertx,
                      inventory,
                      catalog,
                      publisher,
                      new Tokens(vertx, config.jwtSecret()),
                      ids::next,
                      config.httpHost(),
                      port,
                      config.warmupMax());
              warmup.start();
              log.info(
                  "gateway listening on http://{}:{} ({} event loops)",
                  config.httpHost(),
                  port,
                  config.httpInstances());
              return port;
            });
  }

  public int port() {
    return port;
  }

  @Override
  public Future<Void> terminated() {
    return terminated.future();
  }

  /**
   * Readiness turns 503 first; then the verticles stop accepting and finish what is in flight; then
   * clients close.
   */
  @Override
  public synchronized Future<Void> close() {
    if (closing != null) return closing;
    shuttingDown = true;
    if (warmup != null) warmup.close();
    if (sweeper != null) sweeper.close();
    if (saleGauges != null) saleGauges.close();
    if (restock != null) restock.close();
    if (watch != null) watch.close();
    Promise<Void> drained = Promise.promise();
    if (deployment == null || config.shutdownGrace().isZero()) drained.complete();
    else vertx.setTimer(config.shutdownGrace().toMillis(), t -> drained.complete());
    closing =
        drained
            .future()
            .compose(
                v ->
                    deployment == null
                        ? Future.<Void>succeededFuture()
                        : vertx.undeploy(deployment))
            .eventually(() -> nodeLease == null ? Future.succeededFuture() : nodeLease.close())
            .eventually(
                () -> {
                  // Returns still failing are picked up by the delay service from their due-now or
                  // payment deadlines.
                  if (returns != null) returns.close();
                  if (dueNow != null) dueNow.close();
                  return Future.succeededFuture();
                })
            .eventually(() -> publisher == null ? Future.succeededFuture() : publisher.close())
            .eventually(
                () -> {
                  if (lag != null) lag.close();
                  if (redis != null) redis.close();
                  return pg == null ? Future.succeededFuture() : pg.close();
                })
            .onComplete(ar -> terminated.tryComplete());
    return closing;
  }

  /**
   * Redis commands that may wait for a pooled connection (the admissions themselves are pipelined
   * on their own).
   */
  private static final int REDIS_WAITING_MAX = 100_000;

  /**
   * How long start waits for the orders topic's metadata before starting without it (readiness says
   * why).
   */
  private static final long KAFKA_METADATA_WAIT_MILLIS = 30_000;

  /**
   * How often each event loop strikes the orders a broker acknowledged off the sweeper's list, in
   * one call.
   */
  private static final long SENT_FLUSH_MILLIS = 20;

  /** How often the one shared query reads every order a status stream (SSE) watches. */
  private static final long STATUS_POLL_MILLIS = 500;

  /**
   * Status streams one user may hold open on one gateway (a buyer needs one; a few tabs are fine).
   */
  private static final int STREAMS_PER_USER = 5;

  /**
   * Enough for the polls that follow a rush of admissions (about 100 bytes each); a poll older than
   * this is rare.
   */
  private static final long ADMITTED_ORDERS_KEPT = 500_000;

  private static final Duration ADMITTED_ORDERS_TTL = Duration.ofMinutes(10);

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
