package io.seckill.platform.kafka;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with jitter, capped: a server that is down is asked less and less often, and
 * consumers that failed together do not all come back in the same millisecond.
 */
public final class Backoff {
  /** The first pause: short, since most failures are a connection being re-established. */
  public static final long FIRST_MILLIS = 50;

  /** Doublings before the cap takes over in any case (50 ms << 20 is far past any sensible cap). */
  private static final int MAX_DOUBLINGS = 20;

  /** The jitter takes up to 1/JITTER_DIVISOR off a pause, never adds to it. */
  private static final long JITTER_DIVISOR = 4;

  private final long capMillis;

  public Backoff(Duration cap) {
    if (cap.toMillis() < 1)
      throw new IllegalArgumentException("the back-off cap must be at least 1 ms, not " + cap);
    this.capMillis = cap.toMillis();
  }

  /** The pause before retry number attempt (1 = the first retry). */
  public long delayMillis(int attempt) {
    long base = FIRST_MILLIS << Math.min(Math.max(attempt - 1, 0), MAX_DOUBLINGS);
    long capped = Math.min(base, capMillis);
    long jitter =
        capped / JITTER_DIVISOR == 0
            ? 0
            : ThreadLocalRandom.current().nextLong(capped / JITTER_DIVISOR + 1);
    return Math.max(1, capped - jitter);
  }
}
