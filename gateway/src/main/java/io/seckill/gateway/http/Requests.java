package io.seckill.gateway.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Path parameters, the peer's address and plain JSON answers, the same way for every resource. */
final class Requests {
  private Requests() {}

  /**
   * Ids are positive longs; anything else names no sale (404 rather than 400: an id is opaque to
   * the client).
   */
  static long saleId(RoutingContext ctx) {
    String text = ctx.pathParam("saleId");
    long id = quietId(text);
    if (id == 0) throw Problem.SALE_NOT_FOUND.with("no sale " + text);
    return id;
  }

  static long orderId(RoutingContext ctx) {
    String text = ctx.pathParam("orderId");
    long id = quietId(text);
    if (id == 0) throw Problem.ORDER_NOT_FOUND.with("no order " + text);
    return id;
  }

  /** The id, or 0 if the text is no positive long. */
  static long quietId(String text) {
    if (text == null) return 0;
    try {
      long id = Long.parseLong(text);
      return id > 0 ? id : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static String ip(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null
        ? null
        : ctx.request().remoteAddress().hostAddress();
  }

  static void json(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("content-type", "application/json").end(body.toBuffer());
  }
}
