package io.seckill.inventory;

import static io.seckill.platform.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.inventory.Admission.Outcome;
import io.seckill.inventory.Reconciliation.Row;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * reconcile.lua on the real Redis: a sale's Redis state rebuilt from its rows (PostgreSQL's word)
 * plus the reservations Redis still holds, after Redis lost writes; and while buyers keep buying,
 * since the script is one atomic step.
 */
class ReconcileScriptIT {
  private static final RedisFixture redis = new RedisFixture();
  private static final Inventory inventory = redis.inventory;
  private static final long STARTS = Instant.now().minusSeconds(60).toEpochMilli();
  private static final long ENDS = Instant.now().plusSeconds(3600).toEpochMilli();

  @AfterAll
  static void close() {
    redis.close();
  }

  private static Reconciliation reconcile(long sale, int initial, List<Row> rows) {
    return await(
        inventory.reconcile(new Reconciliation.Input(sale, initial, STARTS, ENDS, 2, rows)));
  }

  @Test
  void lostWritesAreRebuiltFromTheRowsPlusTheReservationsLeft() {
    long sale = redis.sale(10, 2);
    for (long id = 1; id <= 6; id++) redis.admitted(sale, id, "u" + id);
    // Orders 1-4 became rows (2 unpaid, 1 paid, 1 cancelled); 5 and 6 are still reservations.
    await(inventory.claim(sale, List.of(1L, 2L, 3L, 4L)));
    await(inventory.forget(sale, List.of(1L, 2L, 3L)));
    List<Row> rows =
        List.of(
            new Row(1, "u1", 1, "PENDING_PAYMENT"),
            new Row(2, "u2", 1, "PENDING_PAYMENT"),
            new Row(3, "u3", 1, "PAID"),
            new Row(4, "u4", 1, "CANCELLED"));
    // Redis loses writes: the stock, every user's holding and the returned set are wrong or gone.
    redis.hset(RedisKeys.sale(sale), "stock", "9");
    redis.del(RedisKeys.users(sale));
    redis.del(RedisKeys.returned(sale));

    Reconciliation r = reconcile(sale, 10, rows);

    assertThat(r).isEqualTo(new Reconciliation("9", 10 - 3 - 2, 3, 2, 1));
    assertThat(redis.saleField(sale, "stock")).isEqualTo(5);
    assertThat(redis.saleField(sale, "reserved")).isEqualTo(2);
    assertThat(redis.saleField(sale, "claimed")).isEqualTo(4);
    assertThat(redis.saleField(sale, "returned")).isEqualTo(1);
    assertThat(redis.hash(RedisKeys.users(sale)))
        .containsExactly(
            Map.entry("u1", "1"),
            Map.entry("u2", "1"),
            Map.entry("u3", "1"),
            Map.entry("u5", "1"),
            Map.entry("u6", "1"));
    assertThat(redis.members(RedisKeys.returned(sale))).containsExactly("4");
    assertThat(redis.hash(RedisKeys.reservations(sale)))
        .as("order 4's reservation was a row's")
        .containsOnlyKeys("5", "6");
    assertThat(redis.hash(RedisKeys.handoffs(sale)))
        .containsOnlyKeys("1", "2", "3", "4")
        .containsValue("S");
    assertThat(redis.pending(sale)).containsOnlyKeys("5", "6");
    // The cancelled order was returned already: a late return gives nothing more.
    assertThat(await(inventory.returnStock(sale, 4, "u4", 1))).isFalse();
  }

  @Test
  void aSaleRedisForgotEntirelyIsLoadedFromItsRows() {
    long sale = RedisFixture.saleId();
    Reconciliation r = reconcile(sale, 5, List.of(new Row(1, "a", 2, "PAID")));

    assertThat(r).isEqualTo(new Reconciliation("", 3, 2, 0, 0));
    assertThat(redis.saleField(sale, "stock")).isEqualTo(3);
    assertThat(redis.saleField(sale, "limit")).isEqualTo(2);
    assertThat(redis.hash(RedisKeys.users(sale))).containsExactly(Map.entry("a", "2"));
    assertThat(await(inventory.admit(sale, 2, "a", 1, null)).outcome()).isEqualTo(Outcome.LIMIT);
    assertThat(await(inventory.admit(sale, 3, "b", 2, null)).outcome()).isEqualTo(Outcome.OK);
  }

  @Test
  void aReconcileOfAConsistentSaleChangesNothing() {
    long sale = redis.sale(4, 1);
    redis.admitted(sale, 1, "a");
    redis.admitted(sale, 2, "b");
    await(inventory.claim(sale, List.of(1L)));
    await(inventory.forget(sale, List.of(1L)));
    Map<String, String> users = redis.hash(RedisKeys.users(sale));

    Reconciliation r = reconcile(sale, 4, List.of(new Row(1, "a", 1, "PENDING_PAYMENT")));

    assertThat(r).isEqualTo(new Reconciliation("2", 2, 1, 1, 0));
    assertThat(redis.hash(RedisKeys.users(sale))).isEqualTo(users);
    assertThat(redis.saleField(sale, "stock")).isEqualTo(2);
  }

  @Test
  void aReconcileWhileAdmissionsRunCountsEveryAdmissionOnItsOneSide() {
    int stock = 200;
    long sale = redis.sale(stock, 1);
    List<Row> rows = new ArrayList<>();
    for (long id = 1; id <= 50; id++) {
      redis.admitted(sale, id, "row-" + id);
      rows.add(new Row(id, "row-" + id, 1, "PENDING_PAYMENT"));
    }
    List<Long> persisted = rows.stream().map(Row::orderId).toList();
    await(inventory.claim(sale, persisted));
    await(inventory.forget(sale, persisted));
    redis.hset(RedisKeys.sale(sale), "stock", "77"); // drifted

    List<Future<Admission>> crowd = new ArrayList<>();
    for (int i = 0; i < 100; i++)
      crowd.add(inventory.admit(sale, 1_000 + i, "crowd-" + i, 1, null));
    Future<Reconciliation> reconciled =
        inventory.reconcile(new Reconciliation.Input(sale, stock, STARTS, ENDS, 1, rows));
    for (int i = 100; i < 250; i++)
      crowd.add(inventory.admit(sale, 1_000 + i, "crowd-" + i, 1, null));
    List<Admission> outcomes = await(Future.all(crowd)).list();
    Reconciliation r = await(reconciled);

    long admitted = outcomes.stream().filter(a -> a.outcome() == Outcome.OK).count();
    long reserved = redis.hash(RedisKeys.reservations(sale)).size();
    assertThat(reserved).isEqualTo(admitted);
    assertThat(r.liveUnits()).isEqualTo(50);
    // Admissions before the script are reservations it counted; those after took from the stock it
    // set.
    assertThat(redis.saleField(sale, "stock")).isEqualTo(stock - 50 - admitted);
    assertThat(redis.saleField(sale, "stock"))
        .isEqualTo(r.stockAfter() - (admitted - r.reservedUnits()));
    assertThat(redis.saleField(sale, "reserved")).isEqualTo(admitted);
    assertThat(redis.hash(RedisKeys.users(sale))).hasSize((int) (50 + admitted));
  }
}
