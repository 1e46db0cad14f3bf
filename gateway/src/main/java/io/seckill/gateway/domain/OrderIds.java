package io.seckill.gateway.domain;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Time-ordered 63-bit ids, unique across gateways: 41 bits of milliseconds since 2025-01-01, 10 bits of node id
 * (each gateway takes one from a Redis counter at start), 12 bits of sequence. Lock-free across event loops.
 */
public final class OrderIds {
  static final long EPOCH_MILLIS = 1_735_689_600_000L; // 2025-01-01T00:00:00Z
  private static final int NODE_BITS = 10;
  private static final int SEQUENCE_BITS = 12;
  private static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;

  private final long node;
  private final LongSupplier clock;
  /** (millis since epoch << SEQUENCE_BITS) | sequence of the last id handed out. */
  private final AtomicLong last = new AtomicLong();

  public OrderIds(long nodeId, LongSupplier clock) {
    this.node = Math.floorMod(nodeId, 1L << NODE_BITS);
    this.clock = clock;
  }

  public OrderIds(long nodeId) {
    this(nodeId, System::currentTimeMillis);
  }

  public long next() {
    while (true) {
      long prev = last.get();
      long now = clock.getAsLong() - EPOCH_MILLIS;
      long prevMillis = prev >>> SEQUENCE_BITS;
      long candidate;
      if (now > prevMillis) {
        candidate = now << SEQUENCE_BITS;
      } else if ((prev & SEQUENCE_MASK) < SEQUENCE_MASK) {
        candidate = prev + 1; // same (or earlier, after a clock step back) millisecond: next sequence
      } else {
        candidate = (prevMillis + 1) << SEQUENCE_BITS; // sequence exhausted: borrow the next millisecond
      }
      if (last.compareAndSet(prev, candidate)) {
        long millis = candidate >>> SEQUENCE_BITS;
        return (millis << (NODE_BITS + SEQUENCE_BITS)) | (node << SEQUENCE_BITS) | (candidate & SEQUENCE_MASK);
      }
    }
  }
}
