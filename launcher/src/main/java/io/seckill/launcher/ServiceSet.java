package io.seckill.launcher;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.seckill.delay.DelayConfig;
import io.seckill.delay.DelayService;
import io.seckill.gateway.Gateway;
import io.seckill.gateway.config.GatewayConfig;
import io.seckill.platform.auth.JwtSecret;
import io.seckill.platform.config.Env;
import io.seckill.platform.config.Servers;
import io.seckill.platform.config.Settings;
import io.seckill.platform.contract.DelayLevels;
import io.seckill.platform.kafka.TopicSetup;
import io.seckill.platform.lifecycle.Lifecycle;
import io.seckill.platform.store.Migrations;
import io.seckill.worker.OrderWorker;
import io.seckill.worker.WorkerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Some of Seckill's services in this process, on one Vert.x instance. Stops them in the order that
 * loses nothing: the gateway first (no new orders), then the workers (finish and commit), then the
 * delay service.
 */
final class ServiceSet implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceSet.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  /** EX_SOFTWARE: an internal error, so a supervisor restarts the process. */
  private static final int EXIT_SERVICE_DIED = 70;

  enum Service {
    GATEWAY,
    ORDER_WORKER,
    DELAY_SERVICE
  }

  private final Vertx vertx;
  private final List<Supplier<Future<?>>> stops = new ArrayList<>();
  private Gateway gateway;

  private final PrometheusMeterRegistry prometheus;

  private ServiceSet(Vertx vertx, PrometheusMeterRegistry prometheus) {
    this.vertx = vertx;
    this.prometheus = prometheus;
  }

  /** The production shape: `gateway`, `order-worker`, `delay-service`. */
  static ServiceSet start(Env env, EnumSet<Service> services) throws Exception {
    return start(env, services, false);
  }

  /**
   * Applies migrations, creates topics, then starts the services. Blocks until they are up. Only
   * `up` and `demo` pass development: the gateway then serves /demo/token and may sign with the
   * public default secret; otherwise a gateway refuses to start without a strong SECKILL_JWT_SECRET
   * (the workers and the delay service never read it).
   */
  static ServiceSet start(Env env, EnumSet<Service> services, boolean development)
      throws Exception {
    if (!development && services.contains(Service.GATEWAY)) JwtSecret.requireStrong(env);
    Servers servers = Servers.from(env);
    Migrations.apply(servers);
    TopicSetup.ensure(servers, DelayLevels.from(env));
    // Vert.x's own metrics and Seckill's business meters end up in one Prometheus registry, served
    // at /metrics.
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Metrics.addRegistry(prometheus);
    ServiceMetrics.jvm(prometheus);
    Vertx vertx =
        Vertx.builder()
            .with(
                new VertxOptions()
                    .setMetricsOptions(
                        // Per-command Redis meters and per-read/write TCP client meters cost the
                        // purchase path map look-ups on every call and nothing reads them (the
                        // dashboard and alerts read vertx_http_server_*). "redis" is the Redis
                        // client's metrics type: MetricsDomain has no constant for it.
                        new MicrometerMetricsOptions()
                            .setEnabled(true)
                            .addDisabledMetricsCategory("redis")
                            .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)))
            .withMetrics(new MicrometerMetricsFactory(prometheus))
            .build();
    ServiceSet set = new ServiceSet(vertx, prometheus);
    try {
      // Started in reverse order of stopping: consumers first, so the gateway's first order finds
      // them running.
      if (services.contains(Service.DELAY_SERVICE)) {
        DelayService delay = new DelayService(set.vertx, DelayConfig.from(env));
        set.run("the delay service", delay);
        ServiceMetrics.delay(prometheus, delay.stats());
      }
      if (services.contains(Service.ORDER_WORKER)) {
        OrderWorker worker = new OrderWorker(set.vertx, WorkerConfig.from(env));
        set.run("the order worker", worker);
        ServiceMetrics.worker(prometheus, worker.stats());
      }
      int management = env.getInt(Settings.MANAGEMENT_PORT);
      if (!services.contains(Service.GATEWAY) && management > 0) {
        HttpServer server =
            await(ManagementServer.start(set.vertx, management, prometheus, () -> set.closing));
        set.stops.add(server::close);
        log.info("metrics and health on http://0.0.0.0:{}/metrics", server.actualPort());
      }
      if (services.contains(Service.GATEWAY)) {
        set.gateway =
            new Gateway(
                set.vertx,
                GatewayConfig.from(env, development),
                router ->
                    router.get("/metrics").handler(PrometheusScrapingHandler.create(prometheus)));
        set.run("the gateway", set.gateway);
      }
    } catch (Exception e) {
      set.close();
      throw e;
    }
    return set;
  }

  /**
   * Starts a service and stops it with the others. One that ends on its own (a consumer loop that
   * died) leaves its partitions unserved: the process exits with 70 so its supervisor restarts it.
   */
  private void run(String name, Lifecycle service) throws Exception {
    await(service.start());
    stops.add(0, service::close);
    service
        .terminated()
        .onComplete(
            r -> {
              if (!closing) {
                log.error(
                    "{} stopped unexpectedly; exiting so the process is restarted",
                    name,
                    r.cause());
                new Thread(() -> System.exit(EXIT_SERVICE_DIED), "seckill-service-died").start();
              }
            });
  }

  int gatewayPort() {
    return gateway == null ? -1 : gateway.port();
  }

  Vertx vertx() {
    return vertx;
  }

  private volatile boolean closing;

  @Override
  public void close() {
    closing = true;
    for (Supplier<Future<?>> stop : stops) {
      try {
        await(stop.get());
      } catch (Exception e) {
        log.warn("a service did not stop cleanly: {}", e.getMessage());
      }
    }
    stops.clear();
    Metrics.removeRegistry(prometheus);
    try {
      await(vertx.close());
    } catch (Exception e) {
      log.warn("vert.x did not close cleanly: {}", e.getMessage());
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage()
        .toCompletableFuture()
        .get(STOP_TIMEOUT.toSeconds() * 3, TimeUnit.SECONDS);
  }
}
