package io.seckill.launcher;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.function.BooleanSupplier;

/**
 * /metrics, /health/live and /health/ready for a process without the gateway (an order worker or
 * the delay service), so Prometheus can scrape it and an orchestrator can probe it. Ready turns 503
 * as soon as shutdown begins.
 */
final class ManagementServer {
  private ManagementServer() {}

  static Future<HttpServer> start(
      Vertx vertx, int port, PrometheusMeterRegistry registry, BooleanSupplier closing) {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router
        .get("/health/ready")
        .handler(
            ctx -> {
              boolean down = closing.getAsBoolean();
              ctx.response().setStatusCode(down ? 503 : 200);
              ctx.json(new JsonObject().put("status", down ? "DOWN" : "UP"));
            });
    return vertx.createHttpServer().requestHandler(router).listen(port);
  }
}
