package io.seckill.gateway.metrics;

import io.seckill.gateway.audit.Audits;
import io.seckill.gateway.sale.SaleCatalog;
import io.seckill.inventory.Inventory;
import io.seckill.platform.store.Sale;
import io.vertx.core.Vertx;

/**
 * Each recent sale's stock left (one Redis read, every 5 s) and audit verdict (counts over the
 * sale's rows in PostgreSQL, so only every 30 s) as gauges.
 */
public final class SaleGauges {
  private static final long STOCK_PERIOD_MILLIS = 5_000;
  private static final long AUDIT_PERIOD_MILLIS = 30_000;

  private final Vertx vertx;
  private final SaleCatalog catalog;
  private final Audits audits;
  private final GatewayMetrics metrics;
  private final Inventory inventory;
  private long stockTimer = -1;
  private long auditTimer = -1;

  public SaleGauges(
      Vertx vertx,
      SaleCatalog catalog,
      Audits audits,
      Inventory inventory,
      GatewayMetrics metrics) {
    this.inventory = inventory;
    this.vertx = vertx;
    this.catalog = catalog;
    this.audits = audits;
    this.metrics = metrics;
  }

  public void start() {
    stockTimer =
        vertx.setPeriodic(
            STOCK_PERIOD_MILLIS,
            t -> catalog.recent().onSuccess(sales -> sales.forEach(this::stock)));
    auditTimer =
        vertx.setPeriodic(
            AUDIT_PERIOD_MILLIS,
            t -> catalog.recent().onSuccess(sales -> sales.forEach(this::audit)));
  }

  private void stock(Sale sale) {
    inventory
        .stockLeft(sale.id())
        .onSuccess(
            left ->
                left.ifPresent(
                    units ->
                        metrics.gauge(
                            "seckill_stock_left",
                            "Units left in Redis",
                            "sale",
                            Long.toString(sale.id()),
                            units)));
  }

  private void audit(Sale sale) {
    audits
        .audit(sale.id())
        .onSuccess(
            a ->
                metrics.gauge(
                    "seckill_audit_consistent",
                    "1 if every invariant of SPEC §5 holds",
                    "sale",
                    Long.toString(sale.id()),
                    a.getBoolean("consistent") ? 1 : 0));
  }

  public void close() {
    if (stockTimer >= 0) vertx.cancelTimer(stockTimer);
    if (auditTimer >= 0) vertx.cancelTimer(auditTimer);
  }
}
