package io.seckill.gateway.domain;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Time-ordered 63-bit ids, unique across gateways: 41 bits of milliseconds since 2025-01-01, 10
 * bits of node id, 12 bits of sequence. Lock-free across event loops. The node id is leased (see
 * NodeIdLease): ids are handed out only while the lease is known to be held, so two live gateways
 * never share a node id; without one, next() fails closed with 503 overloaded rather than risk an
 * id another gateway may also hand out.
 */
public final class OrderIds {
  static final long EPOCH_MILLIS = 1_735_689_600_000L; // 2025-01-01T00:00:00Z
  private static final int NODE_BITS = 10;
  private static final int SEQUENCE_BITS = 12;
  private static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;

  /** A node id and the clock time until which this process may use it. */
  private record Lease(long node, long validUntilMillis) {}

  private static final Lease NONE = new Lease(-1, Long.MIN_VALUE);

  private volatile Lease lease;
  private final LongSupplier clock;

  /** (millis since epoch << SEQUENCE_BITS) | sequence of the last id handed out. */
  private final AtomicLong last = new AtomicLong();

  /** A fixed node id that never lapses (tests, single-process tools). */
  public OrderIds(long nodeId, LongSupplier clock) {
    this.clock = clock;
    this.lease = new Lease(Math.floorMod(nodeId, NODES), Long.MAX_VALUE);
  }

  private OrderIds(LongSupplier clock) {
    this.clock = clock;
    this.lease = NONE;
  }

  /** Ids that need a lease first: next() fails until {@link #lease} is called. */
  public static OrderIds leased(LongSupplier clock) {
    return new OrderIds(clock);
  }

  /** How many node ids there are (the lease slots). */
  public static final int NODES = 1 << NODE_BITS;

  /** This process holds nodeId until validUntilMillis (by this object's clock). */
  public void lease(long nodeId, long validUntilMillis) {
    if (nodeId < 0 || nodeId >= NODES)
      throw new IllegalArgumentException("node id out of range: " + nodeId);
    lease = new Lease(nodeId, validUntilMillis);
  }

  /** The lease is lost or given back: no id until a new one. */
  public void revoke() {
    lease = NONE;
  }

  /** The node id held now, or -1. */
  public long node() {
    Lease l = lease;
    return l.validUntilMillis() > clock.getAsLong() ? l.node() : -1;
  }

  public long next() {
    Lease held = lease;
    if (held.validUntilMillis() <= clock.getAsLong()) {
      throw Refusal.OVERLOADED.with("this gateway holds no order-id lease right now; try again", 1);
    }
    long node = held.node();
    while (true) {
      long prev = last.get();
      long now = clock.getAsLong() - EPOCH_MILLIS;
      long prevMillis = prev >>> SEQUENCE_BITS;
      long candidate;
      if (now > prevMillis) {
        candidate = now << SEQUENCE_BITS;
      } else if ((prev & SEQUENCE_MASK) < SEQUENCE_MASK) {
        candidate =
            prev + 1; // same (or earlier, after a clock step back) millisecond: next sequence
      } else {
        candidate =
            (prevMillis + 1) << SEQUENCE_BITS; // sequence exhausted: borrow the next millisecond
      }
      if (last.compareAndSet(prev, candidate)) {
        long millis = candidate >>> SEQUENCE_BITS;
        return (millis << (NODE_BITS + SEQUENCE_BITS))
            | (node << SEQUENCE_BITS)
            | (candidate & SEQUENCE_MASK);
      }
    }
  }
}
