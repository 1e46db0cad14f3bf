package io.seckill.worker;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with jitter, capped: a server that is down is asked less and less often, and workers that
 * failed together do not all come back in the same millisecond.
 */
final class Backoff {
  static final long FIRST_MILLIS = 50;

  private final long capMillis;

  Backoff(Duration cap) {
    this.capMillis = Math.max(1, cap.toMillis());
  }

  /** The pause before retry number attempt (1 = the first retry). */
  long delayMillis(int attempt) {
    long base = FIRST_MILLIS << Math.min(Math.max(attempt - 1, 0), 20);
    long capped = Math.min(base, capMillis);
    // Up to 25% less, never more than the cap.
    long jitter = capped / 4 == 0 ? 0 : ThreadLocalRandom.current().nextLong(capped / 4 + 1);
    return Math.max(1, capped - jitter);
  }
}
