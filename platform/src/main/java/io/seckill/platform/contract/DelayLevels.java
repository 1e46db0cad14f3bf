package io.seckill.platform.contract;

import io.seckill.platform.config.Env;
import io.seckill.platform.config.Settings;
import java.time.Duration;
import java.util.List;

/**
 * The delay topic's levels: partition i holds only records that wait delay(i), so each partition is in deadline
 * order and its consumer only ever waits for its head record. A deadline is reached by hopping down the levels, each
 * hop the largest level that does not overshoot, so a record never fires early and the last hop is at most one
 * smallest level late.
 */
public final class DelayLevels {
  private final long[] millis;

  public DelayLevels(List<Duration> levels) {
    if (levels.isEmpty()) throw new IllegalArgumentException("at least one delay level");
    this.millis = levels.stream().mapToLong(Duration::toMillis).sorted().toArray();
    if (millis[0] <= 0) throw new IllegalArgumentException("delay levels must be positive");
    for (int i = 1; i < millis.length; i++) {
      if (millis[i] == millis[i - 1]) throw new IllegalArgumentException("duplicate delay level " + levels.get(i));
    }
  }

  public static DelayLevels from(Env env) {
    return new DelayLevels(env.getList(Settings.DELAY_LEVELS).stream().map(Env::parseDuration).toList());
  }

  public int count() {
    return millis.length;
  }

  public long delayMillis(int level) {
    return millis[level];
  }

  /** The level (= partition) for a record that must fire remainingMillis from now: the largest not overshooting. */
  public int levelFor(long remainingMillis) {
    int level = 0;
    for (int i = 0; i < millis.length; i++) {
      if (millis[i] <= remainingMillis) level = i;
      else break;
    }
    return level;
  }
}
