package io.seckill.gateway.http;

import io.seckill.platform.store.Order;
import io.seckill.platform.store.Sale;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** The JSON shapes of docs/SPEC.md §3. Ids are strings; times ISO-8601 UTC. */
final class Views {
  private Views() {}

  static JsonObject sale(Sale s, long stockLeft) {
    return new JsonObject()
        .put("saleId", Long.toString(s.id()))
        .put("item", s.item())
        .put("priceCents", s.priceCents())
        .put("state", s.stateAt(Instant.now(), stockLeft).name())
        .put("stockLeft", Math.max(0, stockLeft))
        .put("initialStock", s.initialStock())
        .put("startsAt", s.startsAt().toString())
        .put("endsAt", s.endsAt().toString())
        .put("perUserLimit", s.perUserLimit())
        .put("paymentTimeoutSeconds", s.paymentTimeoutSeconds());
  }

  static JsonObject order(Order o) {
    JsonObject j =
        new JsonObject()
            .put("orderId", Long.toString(o.id()))
            .put("saleId", Long.toString(o.saleId()))
            .put("userId", o.userId())
            .put("quantity", o.quantity())
            .put("status", o.status().name())
            .put("expiresAt", o.expiresAt() == null ? null : o.expiresAt().toString());
    if (o.paymentRef() != null) j.put("paymentRef", o.paymentRef());
    if (o.reason() != null) j.put("reason", o.reason());
    return j;
  }

  /**
   * The 202 of a purchase, {"orderId":"…","status":"QUEUED"}, written without Jackson: it is sent
   * once per admitted order and only the id (digits, nothing to escape) varies.
   */
  static Buffer queued(long orderId) {
    return Buffer.buffer("{\"orderId\":\"" + orderId + "\",\"status\":\"QUEUED\"}");
  }
}
