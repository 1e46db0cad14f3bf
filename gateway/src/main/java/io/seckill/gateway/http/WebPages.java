package io.seckill.gateway.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/** The buyer page and the dashboard: static files from the jar (webroot/), plain JS that calls the API of SPEC §3. */
final class WebPages {
  // Nothing may load from elsewhere: the demo runs offline, and a page that can only talk to its own origin is safer.
  private static final String CSP = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";
  // Short enough that a new jar's scripts are picked up within a minute; ETag/Last-Modified make re-checks cheap.
  private static final long ASSET_MAX_AGE_SECONDS = 60;

  private WebPages() {
  }

  static void mount(Router router) {
    router.get("/").handler(ctx -> page(ctx, "webroot/index.html"));
    router.get("/dashboard").handler(ctx -> page(ctx, "webroot/dashboard.html"));
    // StaticHandler says "immutable", which is only true of content-hashed names; these are not, so let reloads re-check.
    router.get("/assets/*").handler(ctx -> {
      ctx.addHeadersEndHandler(v -> {
        if (ctx.response().headers().contains("cache-control")) {
          ctx.response().putHeader("cache-control", "public, max-age=" + ASSET_MAX_AGE_SECONDS);
        }
      });
      ctx.next();
    });
    router.get("/assets/*").handler(StaticHandler.create("webroot/assets")
        .setCachingEnabled(true).setMaxAgeSeconds(ASSET_MAX_AGE_SECONDS).setDirectoryListing(false).setIncludeHidden(false));
  }

  private static void page(RoutingContext ctx, String file) {
    // no-cache: the HTML names the scripts, so it must be re-read for an upgrade to show.
    ctx.response().putHeader("content-type", "text/html; charset=utf-8").putHeader("cache-control", "no-cache")
        .putHeader("content-security-policy", CSP).putHeader("x-content-type-options", "nosniff")
        .putHeader("referrer-policy", "no-referrer").sendFile(file).onFailure(ctx::fail);
  }
}
