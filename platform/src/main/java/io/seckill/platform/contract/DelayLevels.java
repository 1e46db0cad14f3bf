package io.seckill.platform.contract;

import io.seckill.platform.config.Env;
import io.seckill.platform.config.Settings;
import java.time.Duration;
import java.util.List;

/**
 * The delay topic's levels: partition i holds only records that wait delay(i), so each partition is
 * in deadline order and its consumer only ever waits for its head record. A deadline is reached by
 * hopping down the levels, each hop the largest level that does not overshoot, so a record never
 * fires early and the last hop is at most one smallest level late.
 */
public final class DelayLevels {
  private final long[] millis;

  public DelayLevels(List<Duration> levels) {
    if (levels.isEmpty()) throw new IllegalArgumentException("at least one delay level");
    this.millis = levels.stream().mapToLong(Duration::toMillis).sorted().toArray();
    if (millis[0] <= 0) throw new IllegalArgumentException("delay levels must be positive");
    for (int i = 1; i < millis.length; i++) {
      if (millis[i] == millis[i - 1])
        throw new IllegalArgumentException("duplicate delay level " + levels.get(i));
    }
  }

  public static DelayLevels from(Env env) {
    return new DelayLevels(
        env.getList(Settings.DELAY_LEVELS).stream().map(Env::parseDuration).toList());
  }

  public int count() {
    return millis.length;
  }

  public long delayMillis(int level) {
    return millis[level];
  }

  /**
   * The level (= partition) to write a deadline remainingMillis away to: the largest level not
   * longer than the remainder plus the smallest level. The delay service wakes a record at the
   * earlier of its level's end and its deadline, so this slack never fires late; without it the
   * milliseconds each hop loses would turn a 30 s remainder into 29.99 s and a chain of small hops.
   */
  public int nextHop(long remainingMillis) {
    long r = remainingMillis + millis[0];
    return levelFor(r < remainingMillis ? Long.MAX_VALUE : r);
  }

  /** The largest level not longer than remainingMillis (the smallest level if none is). */
  public int levelFor(long remainingMillis) {
    int level = 0;
    for (int i = 0; i < millis.length; i++) {
      if (millis[i] <= remainingMillis) level = i;
      else break;
    }
    return level;
  }
}
