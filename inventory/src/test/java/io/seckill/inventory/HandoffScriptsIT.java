package io.seckill.inventory;

import static io.seckill.platform.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The hand-off of a reservation on the real Redis: a worker claims it (claim.lua) and forgets it
 * once it is a row (forget.lua); the gateway releases it when its send failed (release.lua) unless
 * a broker acknowledged it (sent.lua, confirm.lua). Exactly one of "persist" and "give back" wins,
 * whatever the order the scripts run in.
 */
class HandoffScriptsIT {
  private static final RedisFixture redis = new RedisFixture();
  private static final Inventory inventory = redis.inventory;

  @AfterAll
  static void close() {
    redis.close();
  }

  @Test
  void aClaimSettlesTheOrderAndTakesItOffTheSweepersList() {
    long sale = redis.sale(5, 1);
    redis.admitted(sale, 1, "a");
    assertThat(await(inventory.claim(sale, List.of(1L, 2L))))
        .containsExactly(Handoff.CLAIMED, Handoff.UNKNOWN);

    assertThat(redis.hash(RedisKeys.handoffs(sale))).containsExactly(Map.entry("1", "S"));
    assertThat(redis.pending(sale)).isEmpty();
    assertThat(redis.reservation(sale, 1))
        .as("the reservation stays until the row is written")
        .isNotNull();
    assertThat(redis.saleField(sale, "claimed")).isEqualTo(1);
    assertThat(redis.saleField(sale, "stock")).isEqualTo(4);
  }

  @Test
  void aSecondClaimOfTheSameOrderFindsItSettledAndCountsItOnce() {
    long sale = redis.sale(5, 1);
    redis.admitted(sale, 1, "a");
    await(inventory.claim(sale, List.of(1L)));
    assertThat(await(inventory.claim(sale, List.of(1L)))).containsExactly(Handoff.SETTLED);
    assertThat(redis.saleField(sale, "claimed")).isEqualTo(1);
  }

  @Test
  void aReleaseGivesEverythingBackAndLeavesAMarkThatRefusesALaterClaim() {
    long sale = redis.sale(5, 1);
    await(inventory.admit(sale, 1, "a", 1, "key"));
    assertThat(await(inventory.release(sale, 1))).isEqualTo(Release.RELEASED);

    assertThat(redis.saleField(sale, "stock")).isEqualTo(5);
    assertThat(redis.saleField(sale, "released")).isEqualTo(1);
    assertThat(redis.saleField(sale, "releasedOrders")).isEqualTo(1);
    assertThat(redis.saleField(sale, "reserved")).isZero();
    assertThat(redis.hash(RedisKeys.users(sale))).containsExactly(Map.entry("a", "0"));
    assertThat(redis.hash(RedisKeys.idempotency(sale))).as("the key may buy again").isEmpty();
    assertThat(redis.hash(RedisKeys.reservations(sale))).isEmpty();
    assertThat(redis.pending(sale)).isEmpty();
    assertThat(redis.hash(RedisKeys.handoffs(sale))).containsExactly(Map.entry("1", "R"));

    assertThat(await(inventory.claim(sale, List.of(1L)))).containsExactly(Handoff.RELEASED);
    assertThat(await(inventory.release(sale, 1))).isEqualTo(Release.ALREADY_RELEASED);
    assertThat(redis.saleField(sale, "stock")).as("released once").isEqualTo(5);
    assertThat(redis.saleField(sale, "claimed")).isZero();
  }

  @Test
  void aClaimedOrderCannotBeReleased() {
    long sale = redis.sale(5, 1);
    redis.admitted(sale, 1, "a");
    await(inventory.claim(sale, List.of(1L)));
    assertThat(await(inventory.release(sale, 1))).isEqualTo(Release.SETTLED);
    assertThat(redis.saleField(sale, "stock")).isEqualTo(4);
    assertThat(redis.reservation(sale, 1)).isNotNull();
  }

  @Test
  void anOrderABrokerAcknowledgedCannotBeReleased() {
    long sale = redis.sale(5, 1);
    redis.admitted(sale, 1, "a");
    redis.admitted(sale, 2, "b");
    assertThat(await(inventory.confirmSent(sale, 1))).isTrue();
    await(inventory.markSent(sale, List.of(2L)));

    assertThat(redis.pending(sale)).isEmpty();
    assertThat(await(inventory.release(sale, 1))).isEqualTo(Release.DELIVERED);
    assertThat(await(inventory.release(sale, 2))).isEqualTo(Release.DELIVERED);
    assertThat(redis.saleField(sale, "stock")).isEqualTo(3);
    assertThat(await(inventory.claim(sale, List.of(1L, 2L))))
        .containsExactly(Handoff.CLAIMED, Handoff.CLAIMED);
  }

  @Test
  void anAcknowledgementAfterAReleaseSaysTheOrderNoLongerStands() {
    long sale = redis.sale(5, 1);
    redis.admitted(sale, 1, "a");
    await(inventory.release(sale, 1));
    assertThat(await(inventory.confirmSent(sale, 1))).isFalse();
  }

  @Test
  void forgetDropsTheReservationsOfRowsAndTheirReservedUnitsOnce() {
    long sale = redis.sale(5, 2);
    await(inventory.admit(sale, 1, "a", 2, null));
    redis.admitted(sale, 2, "b");
    await(inventory.claim(sale, List.of(1L, 2L)));
    await(inventory.forget(sale, List.of(1L, 2L)));
    await(inventory.forget(sale, List.of(1L, 2L, 3L)));

    assertThat(redis.hash(RedisKeys.reservations(sale))).isEmpty();
    assertThat(redis.saleField(sale, "reserved")).isZero();
    assertThat(redis.saleField(sale, "stock")).as("a row still holds its stock").isEqualTo(2);
    assertThat(redis.hash(RedisKeys.users(sale)))
        .containsExactly(Map.entry("a", "2"), Map.entry("b", "1"));
  }

  @Test
  void aReleaseAfterAForgetFindsTheOrderSettledAndGivesNothingBack() {
    long sale = redis.sale(5, 1);
    redis.admitted(sale, 1, "a");
    await(inventory.claim(sale, List.of(1L)));
    await(inventory.forget(sale, List.of(1L)));

    assertThat(await(inventory.release(sale, 1))).isEqualTo(Release.SETTLED);
    assertThat(redis.saleField(sale, "stock")).isEqualTo(4);
    assertThat(redis.saleField(sale, "released")).isZero();
    assertThat(redis.hash(RedisKeys.users(sale))).containsExactly(Map.entry("a", "1"));
  }

  @Test
  void anUnknownOrderIsNeitherClaimedNorReleased() {
    long sale = redis.sale(5, 1);
    assertThat(await(inventory.claim(sale, List.of(7L)))).containsExactly(Handoff.UNKNOWN);
    assertThat(await(inventory.release(sale, 7))).isEqualTo(Release.UNKNOWN);
    assertThat(redis.saleField(sale, "stock")).isEqualTo(5);
    assertThat(redis.hash(RedisKeys.handoffs(sale))).isEmpty();
  }

  @Test
  void claimsRacingReleasesLetExactlyOneWinPerOrderAndConserveTheStock() {
    int orders = 300;
    long sale = redis.sale(orders, 1);
    List<Long> ids = new ArrayList<>();
    for (long id = 1; id <= orders; id++) ids.add(redis.admitted(sale, id, "buyer-" + id));
    Collections.shuffle(ids);

    // Each order's claim and release are sent at once, the one or the other first, over pooled
    // connections.
    List<Future<Handoff>> claims = new ArrayList<>();
    List<Future<Release>> releases = new ArrayList<>();
    for (long id : ids) {
      if (id % 2 == 0) {
        claims.add(inventory.claim(sale, List.of(id)).map(l -> l.get(0)));
        releases.add(inventory.release(sale, id));
      } else {
        releases.add(inventory.release(sale, id));
        claims.add(inventory.claim(sale, List.of(id)).map(l -> l.get(0)));
      }
    }
    await(Future.join(claims));
    await(Future.join(releases));

    long claimed = 0;
    for (int i = 0; i < ids.size(); i++) {
      Handoff h = await(claims.get(i));
      Release r = await(releases.get(i));
      if (h == Handoff.CLAIMED) {
        assertThat(r).as("order %d", ids.get(i)).isEqualTo(Release.SETTLED);
        claimed++;
      } else {
        assertThat(h).as("order %d", ids.get(i)).isEqualTo(Handoff.RELEASED);
        assertThat(r).as("order %d", ids.get(i)).isEqualTo(Release.RELEASED);
      }
    }
    long released = orders - claimed;
    assertThat(claimed).as("both sides won some races").isPositive().isLessThan(orders);
    assertThat(redis.saleField(sale, "stock")).isEqualTo(released);
    assertThat(redis.saleField(sale, "claimed")).isEqualTo(claimed);
    assertThat(redis.saleField(sale, "releasedOrders")).isEqualTo(released);
    assertThat(redis.saleField(sale, "reserved")).isEqualTo(claimed);
    assertThat(redis.hash(RedisKeys.reservations(sale))).hasSize((int) claimed);
    assertThat(redis.hash(RedisKeys.handoffs(sale)).values())
        .hasSize(orders)
        .filteredOn("S"::equals)
        .hasSize((int) claimed);
    assertThat(redis.pending(sale)).isEmpty();
  }
}
