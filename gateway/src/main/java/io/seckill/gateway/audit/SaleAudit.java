package io.seckill.gateway.audit;

import io.seckill.inventory.Inventory;
import io.seckill.inventory.StockSnapshot;
import io.seckill.platform.store.OrderStatus;
import io.seckill.platform.store.OrderStore;
import io.seckill.platform.store.Sale;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The invariants of docs/SPEC.md §5 for one sale, computed from what Redis and PostgreSQL say.
 * Pure: it only judges the facts it is given, so it is tested without servers. Invariants 1 and 4
 * are exact once the pipeline is drained (no reservations in flight); while orders are moving they
 * are reported, not judged.
 */
public final class SaleAudit {
  public static final long ALLOWED_LATENESS_SECONDS = 2;

  private SaleAudit() {}

  public static JsonObject report(
      Sale sale,
      StockSnapshot redis,
      Inventory.Flight flight,
      Map<OrderStatus, long[]> rows,
      OrderStore.AuditFacts facts) {
    long pending = units(rows, OrderStatus.PENDING_PAYMENT);
    long paid = units(rows, OrderStatus.PAID);
    long cancelled = units(rows, OrderStatus.CANCELLED);
    long rejected = units(rows, OrderStatus.REJECTED);
    long rowCount = 0;
    for (long[] v : rows.values()) rowCount += v[0];
    long cancelledOrders = orders(rows, OrderStatus.CANCELLED) + orders(rows, OrderStatus.REJECTED);
    boolean drained = flight.reservedUnits() == 0;

    JsonArray invariants =
        new JsonArray()
            .add(
                check(
                    "stock-conserved",
                    redis.stock() + flight.reservedUnits() + pending + paid == sale.initialStock(),
                    "redis stock "
                        + redis.stock()
                        + " + queued "
                        + flight.reservedUnits()
                        + " + pending "
                        + pending
                        + " + paid "
                        + paid
                        + " = "
                        + (redis.stock() + flight.reservedUnits() + pending + paid)
                        + ", initial "
                        + sale.initialStock()))
            .add(
                check(
                    "not-oversold",
                    pending + paid <= sale.initialStock(),
                    "pending + paid = " + (pending + paid) + " <= initial " + sale.initialStock()))
            .add(
                check(
                    "per-user-limit",
                    facts.usersOverLimit() == 0,
                    facts.usersOverLimit() + " users over the limit of " + sale.perUserLimit()))
            .add(
                check(
                    "every-admission-persisted",
                    !drained || rowCount == flight.claimedOrders(),
                    rowCount
                        + " rows for "
                        + flight.claimedOrders()
                        + " admissions handed to workers"
                        + (drained ? "" : " (orders still in flight)")))
            .add(
                check(
                    "rejections-explained",
                    facts.rejectedWithoutReason() == 0,
                    facts.rejectedWithoutReason() + " rejected without a reason"))
            .add(
                check(
                    "paid-xor-cancelled",
                    facts.paidAndCancelled() == 0,
                    facts.paidAndCancelled() + " orders both paid and cancelled"))
            .add(
                check(
                    "stock-returned-once",
                    redis.returnedOrders() == cancelledOrders
                        && redis.returnedUnits() == cancelled + rejected,
                    "returned "
                        + redis.returnedOrders()
                        + " orders / "
                        + redis.returnedUnits()
                        + " units for "
                        + cancelledOrders
                        + " cancelled or rejected orders / "
                        + (cancelled + rejected)
                        + " units"))
            .add(
                check(
                    "deadlines-on-time",
                    facts.overdueUnpaid() == 0 && facts.lateCancellations() == 0,
                    facts.overdueUnpaid()
                        + " unpaid orders overdue, "
                        + facts.lateCancellations()
                        + " cancelled more than "
                        + ALLOWED_LATENESS_SECONDS
                        + " s late"));

    boolean consistent = redis.exists();
    for (Object o : invariants) consistent &= ((JsonObject) o).getBoolean("holds");

    JsonObject byStatus = new JsonObject();
    for (OrderStatus s : OrderStatus.values()) {
      if (s != OrderStatus.QUEUED) byStatus.put(s.name(), orders(rows, s));
    }
    return new JsonObject()
        .put("saleId", Long.toString(sale.id()))
        .put("initialStock", sale.initialStock())
        .put("redisStockLeft", redis.stock())
        .put("reservationsInFlight", redis.reservations())
        .put("queuedUnits", flight.reservedUnits())
        .put("unsentReservations", redis.pendingHandoffs())
        .put("ordersByStatus", byStatus)
        .put(
            "stockReturned",
            new JsonObject()
                .put("orders", redis.returnedOrders())
                .put("units", redis.returnedUnits()))
        .put(
            "stockReleasedBeforePersisting",
            new JsonObject()
                .put("orders", flight.releasedOrders())
                .put("units", redis.releasedUnits()))
        .put("drained", drained)
        .put("invariants", invariants)
        .put("consistent", consistent);
  }

  private static JsonObject check(String name, boolean holds, String detail) {
    return new JsonObject().put("name", name).put("holds", holds).put("detail", detail);
  }

  private static long units(Map<OrderStatus, long[]> rows, OrderStatus s) {
    long[] v = rows.get(s);
    return v == null ? 0 : v[1];
  }

  private static long orders(Map<OrderStatus, long[]> rows, OrderStatus s) {
    long[] v = rows.get(s);
    return v == null ? 0 : v[0];
  }
}
