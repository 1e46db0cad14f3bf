package io.seckill.delay;

import io.seckill.platform.contract.DelayLevels;
import java.time.Instant;

/**
 * When a record on the delay topic may be looked at, and where a deadline goes next. Pure: every
 * rule takes "now".
 *
 * <p>A record on level L written at t is ready at min(t + delay(L), just past dueAt). The cap at
 * dueAt lets a hop pick a level up to one smallest level longer than what remains without firing
 * late; without that slack the few milliseconds each hop loses would turn a 30 s remainder into
 * 29.99 s and a chain of eight small hops.
 */
final class Hops {
  /**
   * Re-checking a deadline the database says is not due yet is never sooner than this (clock skew,
   * rounding).
   */
  static final long RETRY_FLOOR_MILLIS = 50;

  private Hops() {}

  static long readyAt(DelayLevels levels, int level, long recordTimestamp, long dueAtMillis) {
    // A partition beyond the configured levels (the level table shrank) is drained at once and
    // re-routed.
    long delay = level < levels.count() ? levels.delayMillis(level) : 0;
    long levelEnd = saturatedAdd(recordTimestamp, delay);
    // Waking at dueAt + 1, the first millisecond isDue holds, spares a record due now a pointless
    // extra hop.
    return levelEnd >= dueAtMillis ? saturatedAdd(dueAtMillis, 1) : levelEnd;
  }

  /**
   * True when the deadline has passed; strictly, because dueAt is expires_at truncated to the
   * millisecond.
   */
  static boolean isDue(long dueAtMillis, long now) {
    return dueAtMillis < now;
  }

  /**
   * The level for the next hop of a deadline remainingMillis away. Below the smallest level this is
   * the smallest.
   */
  static int levelFor(DelayLevels levels, long remainingMillis) {
    return levels.nextHop(remainingMillis);
  }

  /**
   * The dueAt to re-schedule an order the database still holds as unpaid, never so soon that it
   * spins.
   */
  static long retryDueAt(Instant expiresAt, long now) {
    return Math.max(ceilMillis(expiresAt), now + RETRY_FLOOR_MILLIS);
  }

  static long ceilMillis(Instant t) {
    long millis = t.toEpochMilli();
    return t.getNano() % 1_000_000 == 0 ? millis : millis + 1;
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
