package io.seckill.gateway.audit;

import io.seckill.gateway.domain.Problem;
import io.seckill.gateway.sale.SaleCatalog;
import io.seckill.inventory.Inventory;
import io.seckill.platform.store.OrderStore;
import io.seckill.platform.store.Sale;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Gathers a sale's facts from Redis and PostgreSQL at once and hands them to {@link SaleAudit}. */
public final class Audits {
  private final SaleCatalog catalog;
  private final Inventory inventory;
  private final OrderStore orders;

  public Audits(SaleCatalog catalog, Inventory inventory, OrderStore orders) {
    this.catalog = catalog;
    this.inventory = inventory;
    this.orders = orders;
  }

  public Future<JsonObject> audit(long saleId) {
    return sale(saleId).compose(sale -> {
      var snapshot = inventory.snapshot(saleId);
      var flight = inventory.flight(saleId);
      var rows = orders.countByStatus(saleId);
      var facts = orders.auditFacts(saleId, SaleAudit.ALLOWED_LATENESS_SECONDS);
      return Future.all(snapshot, flight, rows, facts)
          .map(v -> SaleAudit.report(sale, snapshot.result(), flight.result(), rows.result(), facts.result()));
    });
  }

  /** Every order of the sale (id, user, status), for the load test's checker. */
  public Future<JsonObject> orders(long saleId) {
    return sale(saleId).compose(sale -> orders.ordersOfSale(saleId)).map(list -> {
      JsonArray out = new JsonArray();
      list.forEach(o -> out.add(new JsonObject().put("orderId", Long.toString(o.orderId())).put("userId", o.userId())
          .put("status", o.status().name())));
      return new JsonObject().put("saleId", Long.toString(saleId)).put("orders", out);
    });
  }

  private Future<Sale> sale(long saleId) {
    return catalog.find(saleId).map(s -> s.orElseThrow(() -> Problem.SALE_NOT_FOUND.with("no sale " + saleId)));
  }
}
