package io.seckill.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OrderIdsTest {

  @Test
  void idsAreUniqueAndIncreasingEvenWithinOneMillisecond() {
    OrderIds ids = new OrderIds(7, () -> OrderIds.EPOCH_MILLIS + 1_000);
    long previous = 0;
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      long id = ids.next();
      assertThat(id).isGreaterThan(previous);
      assertThat(seen.add(id)).isTrue();
      previous = id;
    }
  }

  @Test
  void twoGatewaysNeverHandOutTheSameId() {
    AtomicLong clock = new AtomicLong(OrderIds.EPOCH_MILLIS + 5);
    OrderIds a = new OrderIds(1, clock::get);
    OrderIds b = new OrderIds(2, clock::get);
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 5_000; i++) {
      assertThat(seen.add(a.next())).isTrue();
      assertThat(seen.add(b.next())).isTrue();
    }
  }

  @Test
  void aClockSteppingBackDoesNotRepeatIds() {
    AtomicLong clock = new AtomicLong(OrderIds.EPOCH_MILLIS + 10_000);
    OrderIds ids = new OrderIds(3, clock::get);
    long before = ids.next();
    clock.addAndGet(-5_000);
    assertThat(ids.next()).isGreaterThan(before);
  }

  @Test
  void laterMillisecondsGiveLargerIds() {
    AtomicLong clock = new AtomicLong(OrderIds.EPOCH_MILLIS + 1);
    OrderIds ids = new OrderIds(1023, clock::get);
    long early = ids.next();
    clock.incrementAndGet();
    OrderIds other = new OrderIds(0, clock::get);
    assertThat(other.next()).isGreaterThan(early);
  }

  @Test
  void withoutAValidLeaseNoIdIsHandedOutAndPurchasesGetOverloaded() {
    AtomicLong clock = new AtomicLong(OrderIds.EPOCH_MILLIS + 1_000);
    OrderIds ids = OrderIds.leased(clock::get);
    assertThatThrownBy(ids::next)
        .isInstanceOfSatisfying(
            RefusedException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.OVERLOADED));
    ids.lease(5, clock.get() + 100);
    assertThat((ids.next() >>> 12) & 1023).isEqualTo(5);
    clock.addAndGet(100); // the lease's validity ended: it may already be someone else's
    assertThatThrownBy(ids::next).isInstanceOf(RefusedException.class);
    assertThat(ids.node()).isEqualTo(-1);
    ids.lease(9, clock.get() + 100);
    assertThat((ids.next() >>> 12) & 1023).isEqualTo(9);
    ids.revoke();
    assertThatThrownBy(ids::next).isInstanceOf(RefusedException.class);
  }
}
