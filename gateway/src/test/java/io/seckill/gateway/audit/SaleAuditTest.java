package io.seckill.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.inventory.Inventory;
import io.seckill.inventory.StockSnapshot;
import io.seckill.platform.store.OrderStatus;
import io.seckill.platform.store.OrderStore.AuditFacts;
import io.seckill.platform.store.Sale;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The audit's verdicts from crafted facts, without servers: a sale whose numbers add up is
 * consistent, and each broken invariant is named on its own.
 */
class SaleAuditTest {
  private static final Sale SALE =
      new Sale(
          42,
          "phone",
          10,
          99_900,
          Instant.parse("2026-01-01T00:00:00Z"),
          Instant.parse("2027-01-01T00:00:00Z"),
          1,
          60);
  private static final AuditFacts CLEAN = new AuditFacts(0, 0, 0, 0, 0);

  /**
   * Drained: 2 unpaid, 3 paid, 1 cancelled and 1 rejected order of one unit each; 5 units left; 2
   * returned.
   */
  private static StockSnapshot redis(long stock, long returnedOrders, long returnedUnits) {
    return new StockSnapshot(true, 10, stock, 0, 0, 0, returnedUnits, returnedOrders);
  }

  private static Map<OrderStatus, long[]> rows(
      long pending, long paid, long cancelled, long rejected) {
    Map<OrderStatus, long[]> rows = new EnumMap<>(OrderStatus.class);
    rows.put(OrderStatus.PENDING_PAYMENT, new long[] {pending, pending});
    rows.put(OrderStatus.PAID, new long[] {paid, paid});
    rows.put(OrderStatus.CANCELLED, new long[] {cancelled, cancelled});
    rows.put(OrderStatus.REJECTED, new long[] {rejected, rejected});
    return rows;
  }

  private static JsonObject audit(
      StockSnapshot redis,
      Inventory.Flight flight,
      Map<OrderStatus, long[]> rows,
      AuditFacts facts) {
    return SaleAudit.report(SALE, redis, flight, rows, facts);
  }

  private static JsonObject clean() {
    return audit(redis(5, 2, 2), new Inventory.Flight(0, 7, 0), rows(2, 3, 1, 1), CLEAN);
  }

  private static List<String> failing(JsonObject audit) {
    return audit.getJsonArray("invariants").stream()
        .map(JsonObject.class::cast)
        .filter(i -> !i.getBoolean("holds"))
        .map(i -> i.getString("name"))
        .toList();
  }

  @Test
  void aDrainedSaleWhoseNumbersAddUpIsConsistent() {
    JsonObject a = clean();
    assertThat(failing(a)).isEmpty();
    assertThat(a.getJsonArray("invariants")).hasSize(8);
    assertThat(a.getBoolean("consistent")).isTrue();
    assertThat(a.getBoolean("drained")).isTrue();
    assertThat(a.getString("saleId")).isEqualTo("42");
    assertThat(a.getLong("initialStock")).isEqualTo(10);
    assertThat(a.getLong("redisStockLeft")).isEqualTo(5);
    assertThat(a.getJsonObject("ordersByStatus").getMap())
        .containsOnlyKeys("PENDING_PAYMENT", "PAID", "CANCELLED", "REJECTED")
        .containsEntry("PAID", 3L)
        .containsEntry("REJECTED", 1L);
    assertThat(a.getJsonObject("stockReturned").getLong("units")).isEqualTo(2);
  }

  @Test
  void moreStockInRedisThanTheOrdersLeaveBreaksConservation() {
    JsonObject a = audit(redis(6, 2, 2), new Inventory.Flight(0, 7, 0), rows(2, 3, 1, 1), CLEAN);
    assertThat(failing(a)).containsExactly("stock-conserved");
    assertThat(a.getBoolean("consistent")).isFalse();
  }

  @Test
  void unitsHeldBeyondTheInitialStockAreOversoldEvenWhenRedisAgrees() {
    // Redis went negative along with the orders: conservation holds, the sale is oversold.
    JsonObject a = audit(redis(-1, 0, 0), new Inventory.Flight(0, 11, 0), rows(0, 11, 0, 0), CLEAN);
    assertThat(failing(a)).containsExactly("not-oversold");
  }

  @Test
  void anAdmissionHandedToAWorkerWithoutARowIsNotPersisted() {
    JsonObject a = audit(redis(5, 2, 2), new Inventory.Flight(0, 8, 0), rows(2, 3, 1, 1), CLEAN);
    assertThat(failing(a)).containsExactly("every-admission-persisted");
  }

  @Test
  void whileOrdersAreInFlightPersistenceIsReportedNotJudged() {
    // One unit reserved and not yet a row: the sale is not drained, and the counts may disagree for
    // now.
    JsonObject a = audit(redis(4, 2, 2), new Inventory.Flight(1, 8, 0), rows(2, 3, 1, 1), CLEAN);
    assertThat(failing(a)).isEmpty();
    assertThat(a.getBoolean("drained")).isFalse();
    assertThat(a.getLong("queuedUnits")).isEqualTo(1);
    assertThat(a.getJsonArray("invariants").getJsonObject(3).getString("detail"))
        .endsWith("(orders still in flight)");
  }

  @Test
  void stockReturnedTwiceOrNotAtAllBreaksReturnedOnce() {
    JsonObject twice =
        audit(redis(5, 3, 3), new Inventory.Flight(0, 7, 0), rows(2, 3, 1, 1), CLEAN);
    JsonObject never =
        audit(redis(5, 1, 1), new Inventory.Flight(0, 7, 0), rows(2, 3, 1, 1), CLEAN);
    assertThat(failing(twice)).contains("stock-returned-once");
    assertThat(failing(never)).contains("stock-returned-once");
  }

  @Test
  void eachFactFromPostgresqlBreaksItsOwnInvariant() {
    Map<AuditFacts, String> cases =
        Map.of(
            new AuditFacts(1, 0, 0, 0, 0), "paid-xor-cancelled",
            new AuditFacts(0, 1, 0, 0, 0), "deadlines-on-time",
            new AuditFacts(0, 0, 1, 0, 0), "deadlines-on-time",
            new AuditFacts(0, 0, 0, 1, 0), "rejections-explained",
            new AuditFacts(0, 0, 0, 0, 1), "per-user-limit");
    cases.forEach(
        (facts, invariant) -> {
          JsonObject a =
              audit(redis(5, 2, 2), new Inventory.Flight(0, 7, 0), rows(2, 3, 1, 1), facts);
          assertThat(failing(a)).as("%s", facts).containsExactly(invariant);
          assertThat(a.getBoolean("consistent")).isFalse();
        });
  }

  @Test
  void aSaleRedisDoesNotKnowIsNotConsistentEvenWhenEveryCountAddsUp() {
    // Sold out and all paid: a missing sale reads as stock 0, which the rows happen to explain.
    StockSnapshot missing = new StockSnapshot(false, 0, 0, 0, 0, 0, 0, 0);
    JsonObject a = audit(missing, new Inventory.Flight(0, 10, 0), rows(0, 10, 0, 0), CLEAN);
    assertThat(failing(a)).isEmpty();
    assertThat(a.getBoolean("consistent")).isFalse();
  }
}
