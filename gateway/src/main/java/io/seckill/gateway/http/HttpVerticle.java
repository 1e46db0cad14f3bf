package io.seckill.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.function.Supplier;

/**
 * The HTTP server of docs/SPEC.md §3, one instance per event loop: the handlers every request meets
 * (connection cap, form refusal, body limit, the one failure handler) around the resources' routes,
 * mounted in the order given.
 */
public final class HttpVerticle extends VerticleBase {
  private static final int IDLE_TIMEOUT_SECONDS = 60;
  private static final int MAX_HEADER_BYTES = 16 * 1024;

  private final String host;
  private final int port;
  private final int maxBodyBytes;
  private final ConnectionLimit connections;
  private final Supplier<List<Routes>> resources;
  private List<Routes> routes = List.of();
  private HttpServer server;

  /**
   * @param resources called once per instance, on its event loop, so each loop gets its own routes
   *     (and what they own, such as its purchase path)
   */
  public HttpVerticle(
      String host,
      int port,
      int maxBodyBytes,
      ConnectionLimit connections,
      Supplier<List<Routes>> resources) {
    this.host = host;
    this.port = port;
    this.maxBodyBytes = maxBodyBytes;
    this.connections = connections;
    this.resources = resources;
  }

  @Override
  public Future<?> start() {
    routes = resources.get();
    Router router = Router.router(vertx);
    // First of all: the purchase route's sold-out shortcut answers before the body is read or
    // anything else runs.
    routes.forEach(r -> r.mountBeforeBody(router));
    // No endpoint takes a form. BodyHandler would decode one into form attributes and leave the
    // body empty, which a
    // purchase reads as {"quantity": 1}: a multipart request with any content was admitted.
    router
        .route()
        .handler(
            ctx -> {
              String type = ctx.request().getHeader("content-type");
              if (type != null
                  && (type.regionMatches(true, 0, "multipart/", 0, 10)
                      || type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33))) {
                Problems.send(
                    ctx, Problem.UNSUPPORTED_MEDIA_TYPE, "the body must be JSON, not a form", 0);
              } else {
                ctx.next();
              }
            });
    router.route().handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes));
    routes.forEach(r -> r.mount(router));

    router.route().failureHandler(Problems::handle);
    router.errorHandler(
        404, ctx -> Problems.send(ctx, Problem.NOT_FOUND, "no route " + ctx.request().path(), 0));
    router.errorHandler(405, ctx -> Problems.send(ctx, Problem.METHOD_NOT_ALLOWED, null, 0));
    router.errorHandler(
        413,
        ctx ->
            Problems.send(ctx, Problem.PAYLOAD_TOO_LARGE, "at most " + maxBodyBytes + " bytes", 0));
    router.errorHandler(500, Problems::handle);

    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setTcpNoDelay(true)
                .setIdleTimeout(IDLE_TIMEOUT_SECONDS)
                .setMaxHeaderSize(MAX_HEADER_BYTES));
    return server
        .connectionHandler(connections::opened)
        .requestHandler(
            request -> {
              if (!connections.shed(request)) router.handle(request);
            })
        .listen();
  }

  @Override
  public Future<?> stop() {
    routes.forEach(Routes::close);
    return server == null ? Future.<Void>succeededFuture() : server.close();
  }
}
