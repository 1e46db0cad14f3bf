package io.seckill.delay;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.config.Env;
import io.seckill.platform.contract.DelayLevels;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HopsTest {
  static final String PROPOSED =
      "250ms,500ms,1s,2s,5s,10s,30s,1m,2m,5m,10m,15m,30m,1h,2h,6h,12h,24h";
  final DelayLevels levels = levels(PROPOSED);

  static DelayLevels levels(String table) {
    return new DelayLevels(Arrays.stream(table.split(",")).map(Env::parseDuration).toList());
  }

  int level(String delay) {
    long millis = Env.parseDuration(delay).toMillis();
    for (int i = 0; i < levels.count(); i++) if (levels.delayMillis(i) == millis) return i;
    throw new AssertionError("no level " + delay);
  }

  @Test
  void aRecordIsReadyOneLevelDelayAfterItWasWritten() {
    assertThat(Hops.readyAt(levels, level("1m"), 1_000, 1_000_000)).isEqualTo(61_000);
  }

  @Test
  void aRecordIsNeverHeldPastItsDeadline() {
    assertThat(Hops.readyAt(levels, level("30s"), 1_000, 30_900)).isEqualTo(30_901);
  }

  @Test
  void aRecordReadyAtItsDeadlineIsDueThen() {
    long ready = Hops.readyAt(levels, level("30s"), 0, 30_000);
    assertThat(Hops.isDue(30_000, ready)).isTrue();
  }

  @Test
  void aRecordOnAPartitionBeyondTheLevelTableIsReadyAtOnce() {
    assertThat(Hops.readyAt(levels, levels.count() + 2, 5_000, 90_000)).isEqualTo(5_000);
  }

  @Test
  void aDeadlineIsDueOnlyOnceItsMillisecondHasPassed() {
    assertThat(Hops.isDue(1_000, 1_000)).isFalse();
    assertThat(Hops.isDue(1_000, 1_001)).isTrue();
  }

  @Test
  void theNextHopIsTheLargestLevelThatDoesNotOvershoot() {
    assertThat(Hops.levelFor(levels, Duration.ofSeconds(90).toMillis())).isEqualTo(level("1m"));
    assertThat(Hops.levelFor(levels, Duration.ofSeconds(7).toMillis())).isEqualTo(level("5s"));
    assertThat(Hops.levelFor(levels, Duration.ofHours(3).toMillis())).isEqualTo(level("2h"));
  }

  @Test
  void aRemainderAFewMillisecondsShortOfALevelStillTakesThatLevel() {
    assertThat(Hops.levelFor(levels, Duration.ofSeconds(30).toMillis() - 7))
        .isEqualTo(level("30s"));
  }

  @Test
  void aRemainderBelowTheSmallestLevelTakesTheSmallest() {
    assertThat(Hops.levelFor(levels, 40)).isEqualTo(0);
    assertThat(Hops.levelFor(levels, -500)).isEqualTo(0);
  }

  @Test
  void deadlinesBeyondTheLargestLevelCascadeThroughIt() {
    assertThat(Hops.levelFor(levels, Duration.ofHours(30).toMillis()))
        .isEqualTo(levels.count() - 1);
  }

  @Test
  void everyCommonPaymentTimeoutIsASingleHopOfTheProposedTable() {
    for (String t :
        new String[] {
          "1s", "2s", "5s", "10s", "30s", "1m", "2m", "5m", "10m", "15m", "30m", "1h", "2h", "24h"
        }) {
      assertThat(hops(levels, Env.parseDuration(t).toMillis(), 3)).as(t).isEqualTo(1);
    }
  }

  @Test
  void anyWholeSecondTimeoutUpToADayNeedsAFewHopsEvenWhenEachHopRunsLate() {
    int worst = 0;
    for (long s = 1; s <= 86_400; s += 7) worst = Math.max(worst, hops(levels, s * 1000, 15));
    assertThat(worst).isLessThanOrEqualTo(16);
  }

  @Test
  void aRetryIsNeverSoonerThanTheFloorNorEarlierThanTheRoundedUpDeadline() {
    Instant expires = Instant.ofEpochMilli(10_000).plusNanos(300_000);
    assertThat(Hops.retryDueAt(expires, 5_000)).isEqualTo(10_001);
    assertThat(Hops.retryDueAt(expires, 20_000)).isEqualTo(20_000 + Hops.RETRY_FLOOR_MILLIS);
    assertThat(Hops.ceilMillis(Instant.ofEpochMilli(42))).isEqualTo(42);
  }

  /** Follows a deadline down the levels, each hop acted on lateMillis after it was ready. */
  static int hops(DelayLevels levels, long timeoutMillis, long lateMillis) {
    long now = 0;
    long due = timeoutMillis;
    int hops = 0;
    while (!Hops.isDue(due, now)) {
      int level = Hops.levelFor(levels, due - now);
      now = Hops.readyAt(levels, level, now, due) + lateMillis;
      hops++;
    }
    assertThat(now - due).isLessThanOrEqualTo(lateMillis + 1);
    return hops;
  }
}
