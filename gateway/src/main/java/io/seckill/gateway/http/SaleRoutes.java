package io.seckill.gateway.http;

import io.seckill.gateway.domain.RateLimiter;
import io.seckill.gateway.sale.SaleCatalog;
import io.seckill.inventory.Inventory;
import io.seckill.platform.store.Sale;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** GET /api/sales and /api/sales/{saleId}: anyone may read them, on the per-IP bucket. */
public final class SaleRoutes implements Routes {
  /** The most sales GET /api/sales lists (the buyer page and dashboard offer them as a choice). */
  private static final int RECENT_SALES = 20;

  private final RateLimiter limits;
  private final SaleCatalog catalog;
  private final Inventory inventory;

  public SaleRoutes(RateLimiter limits, SaleCatalog catalog, Inventory inventory) {
    this.limits = limits;
    this.catalog = catalog;
    this.inventory = inventory;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/sales").handler(this::recentSales);
    router.get("/api/sales/:saleId").handler(this::getSale);
  }

  private void getSale(RoutingContext ctx) {
    limits.checkIp(Requests.ip(ctx));
    long saleId = Requests.saleId(ctx);
    catalog
        .find(saleId)
        .map(
            found ->
                found.orElseThrow(
                    () -> Problem.SALE_NOT_FOUND.with("no sale " + ctx.pathParam("saleId"))))
        .compose(
            sale -> inventory.stockLeft(sale.id()).map(stock -> Views.sale(sale, stock.orElse(0L))))
        .onSuccess(view -> Requests.json(ctx, view))
        .onFailure(ctx::fail);
  }

  /** Sales that ended less than a day ago or later, newest first. */
  private void recentSales(RoutingContext ctx) {
    limits.checkIp(Requests.ip(ctx));
    catalog
        .recent()
        .compose(
            all -> {
              List<Sale> newest =
                  new ArrayList<>(all.subList(Math.max(0, all.size() - RECENT_SALES), all.size()));
              Collections.reverse(newest);
              return Future.all(
                  newest.stream()
                      .map(
                          sale ->
                              inventory
                                  .stockLeft(sale.id())
                                  .map(stock -> Views.sale(sale, stock.orElse(0L))))
                      .toList());
            })
        .onSuccess(
            views -> Requests.json(ctx, new JsonObject().put("sales", new JsonArray(views.list()))))
        .onFailure(ctx::fail);
  }
}
