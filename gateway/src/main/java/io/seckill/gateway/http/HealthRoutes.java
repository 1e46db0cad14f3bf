package io.seckill.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * /health/live answers while the process serves HTTP. /health/ready also needs every dependency reachable within the
 * check timeout, and turns 503 as soon as shutdown begins so a load balancer stops sending before we stop serving.
 */
public final class HealthRoutes {
  private static final long CHECK_TIMEOUT_MILLIS = 2_000;

  private final HealthChecks live;
  private final HealthChecks ready;

  public HealthRoutes(Vertx vertx, Map<String, Supplier<Future<?>>> dependencies, BooleanSupplier shuttingDown) {
    this.live = HealthChecks.create(vertx).register("http", p -> p.complete(Status.OK()));
    this.ready = HealthChecks.create(vertx);
    ready.register("accepting-traffic", p -> p.complete(shuttingDown.getAsBoolean() ? Status.KO() : Status.OK()));
    dependencies.forEach((name, check) -> ready.register(name, CHECK_TIMEOUT_MILLIS,
        p -> check.get().onComplete(r -> p.complete(r.succeeded() ? Status.OK()
            : Status.KO(new io.vertx.core.json.JsonObject().put("error", String.valueOf(r.cause().getMessage())))))));
  }

  public void mount(Router router) {
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(live));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(ready));
  }
}
