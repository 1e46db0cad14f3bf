package io.seckill.reliability;

import io.seckill.judge.Checker;
import io.seckill.platform.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The operator's side, blocking: create a sale, read its audit and order list, drain. Uses any
 * gateway that answers.
 */
final class Shop {
  private final Pipeline p;

  Shop(Pipeline p) {
    this.p = p;
  }

  String admin() {
    return "Bearer " + p.tokens.admin("reliability-admin", 7200);
  }

  String user(String id) {
    return "Bearer " + p.tokens.user(id, 7200);
  }

  long createSale(String item, int stock, int paymentTimeoutSeconds) {
    JsonObject body =
        new JsonObject()
            .put("item", item)
            .put("stock", stock)
            .put("priceCents", 1999)
            .put("startsAt", Instant.now().minusSeconds(2).toString())
            .put("endsAt", Instant.now().plusSeconds(7200).toString())
            .put("perUserLimit", 1)
            .put("paymentTimeoutSeconds", paymentTimeoutSeconds);
    HttpResponse<Buffer> r =
        onAnyGateway(
            g ->
                p.http
                    .get(g)
                    .post("/admin/sales")
                    .putHeader("authorization", admin())
                    .timeout(15_000)
                    .sendJsonObject(body));
    if (r.statusCode() != 201)
      throw new IllegalStateException(
          "sale not created: " + r.statusCode() + " " + r.bodyAsString());
    return Long.parseLong(r.bodyAsJsonObject().getString("saleId"));
  }

  JsonObject audit(long saleId) {
    HttpResponse<Buffer> r =
        onAnyGateway(
            g ->
                p.http
                    .get(g)
                    .get("/admin/sales/" + saleId + "/audit")
                    .putHeader("authorization", admin())
                    .timeout(15_000)
                    .send());
    if (r.statusCode() != 200)
      throw new IllegalStateException("audit: " + r.statusCode() + " " + r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  JsonObject sale(long saleId) {
    return onAnyGateway(g -> p.http.get(g).get("/api/sales/" + saleId).timeout(15_000).send())
        .bodyAsJsonObject();
  }

  /**
   * Every row of the sale's order listing (a duplicated id as often as it is listed), for the
   * checker.
   */
  List<Checker.OrderRow> orders(long saleId) {
    HttpResponse<Buffer> r =
        onAnyGateway(
            g ->
                p.http
                    .get(g)
                    .get("/admin/sales/" + saleId + "/orders")
                    .putHeader("authorization", admin())
                    .timeout(30_000)
                    .send());
    if (r.statusCode() != 200)
      throw new IllegalStateException("orders: " + r.statusCode() + " " + r.bodyAsString());
    List<Checker.OrderRow> rows = new ArrayList<>();
    for (Object o : r.bodyAsJsonObject().getJsonArray("orders")) {
      JsonObject row = (JsonObject) o;
      rows.add(
          new Checker.OrderRow(
              row.getString("orderId"),
              row.getString("userId"),
              row.getString("status"),
              row.getInteger("quantity", 1)));
    }
    return rows;
  }

  /**
   * Polls the audit until nothing is in flight (every admission is a row or was released) and the
   * invariants hold; with noUnpaid, also until every unpaid order was cancelled by its deadline.
   * Returns the last audit either way.
   */
  JsonObject drain(long saleId, boolean noUnpaid, long timeoutSeconds) {
    long deadline = System.currentTimeMillis() + timeoutSeconds * 1000;
    JsonObject audit = null;
    while (System.currentTimeMillis() < deadline) {
      try {
        audit = audit(saleId);
        boolean unpaidDone =
            !noUnpaid || audit.getJsonObject("ordersByStatus").getLong("PENDING_PAYMENT", 0L) == 0;
        if (audit.getBoolean("drained") && audit.getBoolean("consistent") && unpaidDone)
          return audit;
      } catch (RuntimeException e) {
        // a gateway restarting: ask again
      }
      Await.sleep(500);
    }
    return audit == null ? audit(saleId) : audit;
  }

  private HttpResponse<Buffer> onAnyGateway(IntFunction<Future<HttpResponse<Buffer>>> call) {
    RuntimeException last = null;
    for (int attempt = 0; attempt < 6; attempt++) {
      for (int g = 0; g < p.http.size(); g++) {
        if (!p.gateways.get(g).isAlive()) continue;
        try {
          HttpResponse<Buffer> r = Await.await(call.apply(g), 40);
          if (r.statusCode() < 500) return r;
          last =
              new IllegalStateException(
                  "gateway-" + g + " answered " + r.statusCode() + " " + r.bodyAsString());
        } catch (RuntimeException e) {
          last = e;
        }
      }
      Await.sleep(1000);
    }
    throw last == null ? new IllegalStateException("no gateway alive") : last;
  }
}
