package io.seckill.inventory;

import static io.seckill.platform.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.inventory.Admission.Outcome;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * return.lua on the real Redis: the stock of a persisted order that was cancelled or rejected comes
 * back exactly once, however often and however concurrently it is asked for, and a returned unit is
 * sold once more.
 */
class ReturnScriptIT {
  private static final RedisFixture redis = new RedisFixture();
  private static final Inventory inventory = redis.inventory;

  @AfterAll
  static void close() {
    redis.close();
  }

  /** Admitted, claimed and forgotten: a row now, its unit held by the buyer. */
  private static long persisted(long sale, long orderId, String user) {
    redis.admitted(sale, orderId, user);
    await(inventory.claim(sale, List.of(orderId)));
    await(inventory.forget(sale, List.of(orderId)));
    return orderId;
  }

  @Test
  void aReturnGivesTheUnitBackToTheSaleAndTakesItFromTheBuyer() {
    long sale = redis.sale(3, 1);
    persisted(sale, 1, "a");
    assertThat(await(inventory.returnStock(sale, 1, "a", 1))).isTrue();

    assertThat(redis.saleField(sale, "stock")).isEqualTo(3);
    assertThat(redis.saleField(sale, "returned")).isEqualTo(1);
    assertThat(redis.hash(RedisKeys.users(sale))).containsExactly(Map.entry("a", "0"));
    assertThat(redis.members(RedisKeys.returned(sale))).containsExactly("1");
  }

  @Test
  void aSecondReturnOfTheSameOrderGivesNothing() {
    long sale = redis.sale(3, 1);
    persisted(sale, 1, "a");
    assertThat(await(inventory.returnStock(sale, 1, "a", 1))).isTrue();
    assertThat(await(inventory.returnStock(sale, 1, "a", 1))).isFalse();

    assertThat(redis.saleField(sale, "stock")).isEqualTo(3);
    assertThat(redis.saleField(sale, "returned")).isEqualTo(1);
    assertThat(redis.hash(RedisKeys.users(sale))).containsExactly(Map.entry("a", "0"));
  }

  @Test
  void concurrentReturnsOfOneOrderReturnItOnce() {
    long sale = redis.sale(3, 1);
    persisted(sale, 1, "a");
    List<Future<Boolean>> returns = new ArrayList<>();
    for (int i = 0; i < 50; i++) returns.add(inventory.returnStock(sale, 1, "a", 1));
    List<Boolean> outcomes = await(Future.all(returns)).list();

    assertThat(outcomes).containsOnlyOnce(true);
    assertThat(redis.saleField(sale, "stock")).isEqualTo(3);
    assertThat(redis.saleField(sale, "returned")).isEqualTo(1);
  }

  @Test
  void aReturnedUnitRacingACrowdOnASoldOutSaleIsSoldExactlyOnceMore() {
    long sale = redis.sale(2, 1);
    persisted(sale, 1, "early-1");
    persisted(sale, 2, "early-2");
    assertThat(await(inventory.admit(sale, 3, "late", 1, null)).outcome())
        .isEqualTo(Outcome.SOLD_OUT);

    List<Future<Admission>> crowd = new ArrayList<>();
    for (int i = 0; i < 50; i++) crowd.add(inventory.admit(sale, 100 + i, "crowd-" + i, 1, null));
    Future<Boolean> returned = inventory.returnStock(sale, 1, "early-1", 1);
    for (int i = 50; i < 100; i++) crowd.add(inventory.admit(sale, 100 + i, "crowd-" + i, 1, null));
    List<Admission> outcomes = await(Future.all(crowd)).list();

    assertThat(await(returned)).isTrue();
    assertThat(outcomes).filteredOn(a -> a.outcome() == Outcome.OK).hasSize(1);
    assertThat(outcomes).filteredOn(a -> a.outcome() == Outcome.SOLD_OUT).hasSize(99);
    assertThat(redis.saleField(sale, "stock")).isZero();
    assertThat(redis.hash(RedisKeys.reservations(sale))).hasSize(1);
  }

  @Test
  void aBuyerWhoseOrderWasReturnedMayBuyAgainWithinTheLimit() {
    long sale = redis.sale(3, 1);
    persisted(sale, 1, "a");
    assertThat(await(inventory.admit(sale, 2, "a", 1, null)).outcome()).isEqualTo(Outcome.LIMIT);
    await(inventory.returnStock(sale, 1, "a", 1));
    assertThat(await(inventory.admit(sale, 3, "a", 1, null)).outcome()).isEqualTo(Outcome.OK);
  }
}
