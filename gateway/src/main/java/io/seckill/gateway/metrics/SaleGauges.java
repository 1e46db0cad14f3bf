package io.seckill.gateway.metrics;

import io.seckill.gateway.audit.Audits;
import io.seckill.gateway.sale.SaleCatalog;
import io.seckill.platform.store.Sale;
import io.vertx.core.Vertx;

/** Every few seconds, each recent sale's stock left and audit verdict as gauges (one audit per sale per period). */
public final class SaleGauges {
  private static final long PERIOD_MILLIS = 5_000;

  private final Vertx vertx;
  private final SaleCatalog catalog;
  private final Audits audits;
  private final GatewayMetrics metrics;
  private long timer = -1;

  public SaleGauges(Vertx vertx, SaleCatalog catalog, Audits audits, GatewayMetrics metrics) {
    this.vertx = vertx;
    this.catalog = catalog;
    this.audits = audits;
    this.metrics = metrics;
  }

  public void start() {
    timer = vertx.setPeriodic(PERIOD_MILLIS, t -> catalog.recent().onSuccess(sales -> sales.forEach(this::refresh)));
  }

  private void refresh(Sale sale) {
    String id = Long.toString(sale.id());
    audits.audit(sale.id()).onSuccess(a -> {
      metrics.gauge("seckill_stock_left", "Units left in Redis", "sale", id, a.getLong("redisStockLeft"));
      metrics.gauge("seckill_audit_consistent", "1 if every invariant of SPEC §5 holds", "sale", id,
          a.getBoolean("consistent") ? 1 : 0);
    });
  }

  public void close() {
    if (timer >= 0) vertx.cancelTimer(timer);
  }
}
