package io.seckill.gateway.http;

import io.seckill.gateway.domain.Text;
import io.seckill.platform.auth.Tokens;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The buyer page and the dashboard: static files from the jar (webroot/), plain JS that calls the
 * API of docs/SPEC.md §3; and, under `up` and `demo` only, GET /demo/token.
 */
public final class PageRoutes implements Routes {
  // Nothing may load from elsewhere: the demo runs offline, and a page that can only talk to its
  // own origin is safer.
  private static final String CSP =
      "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";
  // Short enough that a new jar's scripts are picked up within a minute; ETag/Last-Modified make
  // re-checks cheap.
  private static final long ASSET_MAX_AGE_SECONDS = 60;

  /** Lifetime of a demo buyer token. */
  private static final long DEMO_TOKEN_TTL_SECONDS = 86_400;

  private static final int DEMO_USER_MAX_LENGTH = 64;

  private final Tokens demoTokens;

  /**
   * @param demoTokens mints /demo/token's buyer tokens; null in the production shape (no such
   *     route)
   */
  public PageRoutes(Tokens demoTokens) {
    this.demoTokens = demoTokens;
  }

  @Override
  public void mount(Router router) {
    if (demoTokens != null) router.get("/demo/token").handler(this::demoToken);
    router.get("/").handler(ctx -> page(ctx, "webroot/index.html"));
    router.get("/dashboard").handler(ctx -> page(ctx, "webroot/dashboard.html"));
    // StaticHandler says "immutable", which is only true of content-hashed names; these are not, so
    // let reloads re-check.
    router
        .get("/assets/*")
        .handler(
            ctx -> {
              ctx.addHeadersEndHandler(
                  v -> {
                    if (ctx.response().headers().contains("cache-control")) {
                      ctx.response()
                          .putHeader("cache-control", "public, max-age=" + ASSET_MAX_AGE_SECONDS);
                    }
                  });
              ctx.next();
            });
    router
        .get("/assets/*")
        .handler(
            StaticHandler.create("webroot/assets")
                .setCachingEnabled(true)
                .setMaxAgeSeconds(ASSET_MAX_AGE_SECONDS)
                .setDirectoryListing(false)
                .setIncludeHidden(false));
  }

  /**
   * A buyer token for any user id, so a reviewer can click through the page. Never an admin token:
   * anyone who reaches the port could run the sales. The dashboard's admin token comes in the URL
   * that `up` prints.
   */
  private void demoToken(RoutingContext ctx) {
    String admin = ctx.request().getParam("admin");
    if (admin != null && !"false".equals(admin)) {
      throw Problem.FORBIDDEN.with(
          "the demo route mints buyer tokens only; open the dashboard URL that `seckill up` prints");
    }
    String user = ctx.request().getParam("user", "demo-buyer");
    if (user.isBlank() || user.length() > DEMO_USER_MAX_LENGTH) {
      throw Problem.INVALID_REQUEST.with("user must be 1-" + DEMO_USER_MAX_LENGTH + " characters");
    }
    Text.storable("user", user);
    Requests.json(
        ctx,
        new JsonObject()
            .put("user", user)
            .put("token", demoTokens.user(user, DEMO_TOKEN_TTL_SECONDS)));
  }

  private static void page(RoutingContext ctx, String file) {
    // no-cache: the HTML names the scripts, so it must be re-read for an upgrade to show.
    ctx.response()
        .putHeader("content-type", "text/html; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        .putHeader("content-security-policy", CSP)
        .putHeader("x-content-type-options", "nosniff")
        .putHeader("referrer-policy", "no-referrer")
        .sendFile(file)
        .onFailure(ctx::fail);
  }
}
