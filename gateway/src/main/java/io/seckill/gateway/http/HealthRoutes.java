package io.seckill.gateway.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * /health/live answers while the process serves HTTP. /health/ready also needs every dependency
 * reachable within the check timeout, and turns 503 as soon as shutdown begins so a load balancer
 * stops sending before we stop serving. Anyone may probe: the answer says UP or DOWN per dependency
 * and nothing more (an error text can name hosts, users and databases); why one is down goes to the
 * log, once per change, and to seckill_dependency_check_failures_total. GET /api/noop lives here
 * too: the benchmarks' baseline.
 */
public final class HealthRoutes implements Routes {
  private static final Logger log = LoggerFactory.getLogger(HealthRoutes.class);
  private static final long CHECK_TIMEOUT_MILLIS = 2_000;
  private static final JsonObject NOOP = new JsonObject().put("ok", true);

  private final HealthChecks live;
  private final HealthChecks ready;

  /**
   * The last error text per dependency (null while UP), so the log gets one line per change, not
   * one per probe.
   */
  private final Map<String, String> lastError = new ConcurrentHashMap<>();

  public HealthRoutes(
      Vertx vertx, Map<String, Supplier<Future<?>>> dependencies, BooleanSupplier shuttingDown) {
    this.live = HealthChecks.create(vertx).register("http", p -> p.complete(Status.OK()));
    this.ready = HealthChecks.create(vertx);
    ready.register(
        "accepting-traffic",
        p -> p.complete(shuttingDown.getAsBoolean() ? Status.KO() : Status.OK()));
    // Our own timeout, shorter than the procedure's: the library's would put its own text in the
    // answer.
    dependencies.forEach(
        (name, check) ->
            ready.register(
                name,
                CHECK_TIMEOUT_MILLIS * 2,
                p ->
                    call(check)
                        .timeout(CHECK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                        .onComplete(
                            r -> {
                              if (r.failed()) failed(name, r.cause());
                              else recovered(name);
                              p.complete(r.succeeded() ? Status.OK() : Status.KO());
                            })));
  }

  @Override
  public void mount(Router router) {
    router.get("/api/noop").handler(HealthRoutes::noop);
    // The same baseline in a purchase's shape (a POST with its headers and body, read and ignored):
    // bench/gateway-throughput.sh compares the purchase path against both.
    router.post("/api/noop").handler(HealthRoutes::noop);
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(live));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(ready));
  }

  /** The baseline of the benchmarks: the same server and router, no work. */
  private static void noop(RoutingContext ctx) {
    Requests.json(ctx, NOOP);
  }

  private static Future<?> call(Supplier<Future<?>> check) {
    try {
      return check.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private void failed(String dependency, Throwable cause) {
    String error = cause.getClass().getSimpleName() + ": " + cause.getMessage();
    Counter.builder("seckill_dependency_check_failures")
        .tag("dependency", dependency)
        .tag("error", cause.getClass().getSimpleName())
        .description(
            "Readiness checks of a dependency that failed, by exception type (the text is in the log)")
        .register(Metrics.globalRegistry)
        .increment();
    if (!error.equals(lastError.put(dependency, error)))
      log.warn("readiness: {} is DOWN: {}", dependency, error);
  }

  private void recovered(String dependency) {
    if (lastError.remove(dependency) != null) log.info("readiness: {} is UP again", dependency);
  }
}
