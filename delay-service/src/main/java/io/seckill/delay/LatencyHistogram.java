package io.seckill.delay;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Lateness in milliseconds: exact up to a minute, which is all that matters against a two-second
 * promise; beyond that only the count and the maximum are kept. Lock-free, so the event loops
 * record without contention.
 */
final class LatencyHistogram {
  private static final int EXACT_MILLIS = 60_000;
  private final AtomicLongArray counts = new AtomicLongArray(EXACT_MILLIS + 1);
  private final LongAccumulator max = new LongAccumulator(Math::max, 0);

  void record(long millis) {
    long m = Math.max(0, millis);
    counts.incrementAndGet((int) Math.min(m, EXACT_MILLIS));
    max.accumulate(m);
  }

  long count() {
    long n = 0;
    for (int i = 0; i < counts.length(); i++) n += counts.get(i);
    return n;
  }

  /** The smallest lateness at or below which the given fraction of samples lies; 0 when empty. */
  long percentile(double fraction) {
    long total = count();
    if (total == 0) return 0;
    long rank = Math.max(1, (long) Math.ceil(fraction * total));
    long seen = 0;
    for (int i = 0; i < counts.length(); i++) {
      seen += counts.get(i);
      if (seen >= rank) return i == EXACT_MILLIS ? max() : i;
    }
    return max();
  }

  long max() {
    return max.get();
  }
}
