package io.seckill.gateway.http;

import io.seckill.gateway.audit.Audits;
import io.seckill.gateway.kafka.LagMonitor;
import io.seckill.gateway.metrics.GatewayMetrics;
import io.seckill.gateway.sale.SaleCatalog;
import io.seckill.inventory.Inventory;
import io.seckill.platform.store.SaleStore;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.function.LongSupplier;

/**
 * /admin/sales...: create a sale, audit it, list its orders, and the dashboard's live view. Admin
 * tokens only.
 */
public final class AdminRoutes implements Routes {
  private static final String SALE = "/admin/sales/:saleId";

  private final Authentication authentication;
  private final SaleStore sales;
  private final Inventory inventory;
  private final SaleCatalog catalog;
  private final LongSupplier ids;
  private final Audits audits;
  private final GatewayMetrics metrics;
  private final LagMonitor lag;

  /**
   * @param ids the id of a new sale (the same generator as order ids)
   */
  public AdminRoutes(
      Authentication authentication,
      SaleStore sales,
      Inventory inventory,
      SaleCatalog catalog,
      LongSupplier ids,
      Audits audits,
      GatewayMetrics metrics,
      LagMonitor lag) {
    this.authentication = authentication;
    this.sales = sales;
    this.inventory = inventory;
    this.catalog = catalog;
    this.ids = ids;
    this.audits = audits;
    this.metrics = metrics;
    this.lag = lag;
  }

  @Override
  public void mount(Router router) {
    router.post("/admin/sales").handler(authentication.admin()).handler(this::createSale);
    router.get(SALE + "/audit").handler(authentication.admin()).handler(this::audit);
    router.get(SALE + "/orders").handler(authentication.admin()).handler(this::listOrders);
    router.get(SALE + "/live").handler(authentication.admin()).handler(this::live);
  }

  private void createSale(RoutingContext ctx) {
    sales
        .insert(SaleRequest.parse(ctx.body().buffer(), ids.getAsLong()))
        .compose(sale -> inventory.loadSale(sale).map(loaded -> sale))
        .onSuccess(
            sale -> {
              catalog.remember(sale);
              ctx.response().setStatusCode(201).putHeader("location", "/api/sales/" + sale.id());
              Requests.json(ctx, Views.sale(sale, sale.initialStock()));
            })
        .onFailure(ctx::fail);
  }

  private void audit(RoutingContext ctx) {
    audits
        .audit(Requests.saleId(ctx))
        .onSuccess(report -> Requests.json(ctx, report))
        .onFailure(ctx::fail);
  }

  private void listOrders(RoutingContext ctx) {
    audits
        .sale(Requests.saleId(ctx))
        .onSuccess(sale -> new OrderListStream(audits, ctx.response(), sale.id()).start())
        .onFailure(ctx::fail);
  }

  /** Everything the live dashboard shows for a sale, in one call per second. */
  private void live(RoutingContext ctx) {
    audits
        .audit(Requests.saleId(ctx))
        .onSuccess(
            audit ->
                Requests.json(
                    ctx,
                    audit
                        .put("admissions", new JsonObject(new HashMap<>(metrics.admissionTotals())))
                        .put("ordersLag", lagJson())))
        .onFailure(ctx::fail);
  }

  private JsonObject lagJson() {
    JsonObject json = new JsonObject();
    lag.lagByPartition().forEach((p, l) -> json.put(Integer.toString(p), l));
    return json;
  }
}
