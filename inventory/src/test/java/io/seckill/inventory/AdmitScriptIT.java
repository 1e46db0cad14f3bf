package io.seckill.inventory;

import static io.seckill.platform.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.inventory.Admission.Outcome;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * admit.lua on the real Redis: every rule of an admission, what it writes, and what a refusal
 * leaves alone.
 */
class AdmitScriptIT {
  private static final RedisFixture redis = new RedisFixture();
  private static final Inventory inventory = redis.inventory;

  @AfterAll
  static void close() {
    redis.close();
  }

  @Test
  void anAdmissionTakesTheStockAndRecordsTheReservationThePendingEntryAndTheKey() {
    long sale = redis.sale(10, 2);
    long before = System.currentTimeMillis();
    Admission a = await(inventory.admit(sale, 501, "alice", 2, "key-1"));

    assertThat(a.outcome()).isEqualTo(Outcome.OK);
    assertThat(a.orderId()).isEqualTo(501);
    assertThat(a.stockLeft()).isEqualTo(8);
    assertThat(a.admittedAtMillis()).isBetween(before - 1000, System.currentTimeMillis() + 1000);
    assertThat(redis.saleField(sale, "stock")).isEqualTo(8);
    assertThat(redis.saleField(sale, "reserved")).isEqualTo(2);
    assertThat(redis.hash(RedisKeys.users(sale))).containsExactly(Map.entry("alice", "2"));
    assertThat(redis.hash(RedisKeys.idempotency(sale)))
        .containsExactly(Map.entry(RedisKeys.idempotencyField("alice", "key-1"), "501"));
    JsonObject r = redis.reservation(sale, 501);
    assertThat(r.getString("u")).isEqualTo("alice");
    assertThat(r.getInteger("q")).isEqualTo(2);
    assertThat(r.getString("k")).isEqualTo("key-1");
    assertThat(r.getLong("t")).isEqualTo(a.admittedAtMillis());
    assertThat(redis.pending(sale)).containsExactly(Map.entry("501", a.admittedAtMillis()));
  }

  @Test
  void aRepeatedKeyAnswersTheFirstOrderAndTakesNothingMore() {
    long sale = redis.sale(10, 5);
    await(inventory.admit(sale, 1, "bob", 1, "k"));
    Admission again = await(inventory.admit(sale, 2, "bob", 1, "k"));

    assertThat(again.outcome()).isEqualTo(Outcome.DUPLICATE);
    assertThat(again.orderId()).isEqualTo(1);
    assertThat(redis.saleField(sale, "stock")).isEqualTo(9);
    assertThat(redis.hash(RedisKeys.reservations(sale))).containsOnlyKeys("1");
    assertThat(redis.pending(sale)).containsOnlyKeys("1");
  }

  @Test
  void theSameKeyOfAnotherUserIsAnotherAdmission() {
    long sale = redis.sale(10, 1);
    assertThat(await(inventory.admit(sale, 1, "a", 1, "k")).outcome()).isEqualTo(Outcome.OK);
    assertThat(await(inventory.admit(sale, 2, "b", 1, "k")).outcome()).isEqualTo(Outcome.OK);
    assertThat(redis.saleField(sale, "stock")).isEqualTo(8);
  }

  @Test
  void aPurchaseWithoutAKeyWritesNoIdempotencyEntry() {
    long sale = redis.sale(10, 2);
    assertThat(await(inventory.admit(sale, 1, "a", 1, null)).outcome()).isEqualTo(Outcome.OK);
    assertThat(redis.hash(RedisKeys.idempotency(sale))).isEmpty();
    assertThat(redis.reservation(sale, 1).getString("k")).isEmpty();
  }

  @Test
  void theLastUnitsGoToWhoeverAsksFirstThenTheSaleIsSoldOut() {
    long sale = redis.sale(2, 5);
    assertThat(await(inventory.admit(sale, 1, "a", 3, null)).outcome())
        .isEqualTo(Outcome.INSUFFICIENT);
    assertThat(await(inventory.admit(sale, 2, "a", 2, null)).outcome()).isEqualTo(Outcome.OK);
    Admission late = await(inventory.admit(sale, 3, "b", 1, "k"));

    assertThat(late.outcome()).isEqualTo(Outcome.SOLD_OUT);
    assertThat(late.stockLeft()).isZero();
    assertThat(redis.saleField(sale, "stock")).isZero();
    assertThat(redis.hash(RedisKeys.reservations(sale))).containsOnlyKeys("2");
    assertThat(redis.hash(RedisKeys.idempotency(sale))).isEmpty();
    assertThat(redis.hash(RedisKeys.users(sale))).containsExactly(Map.entry("a", "2"));
  }

  @Test
  void aUsersLimitCountsEveryUnitTheyHoldAndARefusalTakesNothing() {
    long sale = redis.sale(10, 2);
    assertThat(await(inventory.admit(sale, 1, "greedy", 1, "k1")).outcome()).isEqualTo(Outcome.OK);
    assertThat(await(inventory.admit(sale, 2, "greedy", 2, "k2")).outcome())
        .isEqualTo(Outcome.LIMIT);
    assertThat(await(inventory.admit(sale, 3, "greedy", 1, "k3")).outcome()).isEqualTo(Outcome.OK);
    assertThat(await(inventory.admit(sale, 4, "greedy", 1, "k4")).outcome())
        .isEqualTo(Outcome.LIMIT);

    assertThat(redis.saleField(sale, "stock")).isEqualTo(8);
    assertThat(redis.hash(RedisKeys.users(sale))).containsExactly(Map.entry("greedy", "2"));
    assertThat(redis.hash(RedisKeys.idempotency(sale))).hasSize(2);
    assertThat(redis.hash(RedisKeys.reservations(sale))).containsOnlyKeys("1", "3");
  }

  @Test
  void aSaleOutsideItsWindowOrNotLoadedAdmitsNobodyAndWritesNothing() {
    long early = redis.sale(5, 1, Instant.now().plusSeconds(600), Instant.now().plusSeconds(1200));
    long over = redis.sale(5, 1, Instant.now().minusSeconds(1200), Instant.now().minusSeconds(600));
    long missing = RedisFixture.saleId();

    assertThat(await(inventory.admit(early, 1, "a", 1, "k")).outcome())
        .isEqualTo(Outcome.NOT_STARTED);
    assertThat(await(inventory.admit(over, 1, "a", 1, "k")).outcome()).isEqualTo(Outcome.ENDED);
    assertThat(await(inventory.admit(missing, 1, "a", 1, "k")).outcome())
        .isEqualTo(Outcome.NO_SALE);
    for (long sale : new long[] {early, over}) {
      assertThat(redis.saleField(sale, "stock")).isEqualTo(5);
      assertThat(redis.hash(RedisKeys.users(sale))).isEmpty();
      assertThat(redis.hash(RedisKeys.reservations(sale))).isEmpty();
      assertThat(redis.pending(sale)).isEmpty();
    }
    assertThat(redis.hash(RedisKeys.sale(missing))).isEmpty();
  }

  @Test
  void aSaleIsLoadedOnceAndALaterLoadChangesNothing() {
    long sale = redis.sale(3, 1);
    await(inventory.admit(sale, 1, "a", 1, null));
    var reload =
        new io.seckill.platform.store.Sale(
            sale,
            "thing",
            3,
            100,
            Instant.now().minusSeconds(60),
            Instant.now().plusSeconds(3600),
            1,
            900);
    assertThat(await(inventory.loadSale(reload))).isFalse();
    assertThat(redis.saleField(sale, "stock")).isEqualTo(2);
  }

  @Test
  void aCrowdOfConcurrentBuyersTakesExactlyTheStock() {
    long sale = redis.sale(50, 1);
    List<Future<Admission>> calls = new ArrayList<>();
    for (int i = 0; i < 400; i++)
      calls.add(inventory.admit(sale, 10_000 + i, "buyer-" + i, 1, "k"));
    List<Admission> outcomes = await(Future.all(calls)).list();

    assertThat(outcomes).filteredOn(a -> a.outcome() == Outcome.OK).hasSize(50);
    assertThat(outcomes).filteredOn(a -> a.outcome() == Outcome.SOLD_OUT).hasSize(350);
    assertThat(redis.saleField(sale, "stock")).isZero();
    assertThat(redis.saleField(sale, "reserved")).isEqualTo(50);
    assertThat(redis.hash(RedisKeys.reservations(sale))).hasSize(50);
    assertThat(redis.hash(RedisKeys.users(sale)))
        .hasSize(50)
        .allSatisfy((user, units) -> assertThat(units).isEqualTo("1"));
    assertThat(redis.pending(sale)).hasSize(50);
  }
}
