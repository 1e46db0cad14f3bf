package io.seckill.gateway.audit;

import io.seckill.gateway.domain.Refusal;
import io.seckill.gateway.sale.SaleCatalog;
import io.seckill.inventory.Inventory;
import io.seckill.platform.store.OrderStore;
import io.seckill.platform.store.OrderStore.OrderRef;
import io.seckill.platform.store.Sale;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

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
    return sale(saleId)
        .compose(
            sale -> {
              var snapshot = inventory.snapshot(saleId);
              var flight = inventory.flight(saleId);
              var rows = orders.countByStatus(saleId);
              var facts = orders.auditFacts(saleId, SaleAudit.ALLOWED_LATENESS_SECONDS);
              return Future.all(snapshot, flight, rows, facts)
                  .map(
                      v ->
                          SaleAudit.report(
                              sale,
                              snapshot.result(),
                              flight.result(),
                              rows.result(),
                              facts.result()));
            });
  }

  /**
   * One page of the sale's orders (id, user, status) after an order id: the listing streams page by
   * page.
   */
  public Future<List<OrderRef>> ordersPage(long saleId, long afterId, int limit) {
    return orders.ordersOfSale(saleId, afterId, limit);
  }

  /** The sale, or sale-not-found. */
  public Future<Sale> sale(long saleId) {
    return catalog
        .find(saleId)
        .map(s -> s.orElseThrow(() -> Refusal.SALE_NOT_FOUND.with("no sale " + saleId)));
  }
}
