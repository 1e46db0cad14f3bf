package io.seckill.gateway.handoff;

import io.seckill.inventory.Inventory;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells Redis, in batches, which reservations the broker has acknowledged, so the sweeper leaves
 * them alone. Losing a batch (a crash) only makes the sweeper send those orders once more, which
 * the workers ignore. One per verticle: only its event loop touches it.
 */
public final class SentMarker {
  private static final int MAX_BATCH = 512;

  private final Inventory inventory;
  private final Map<Long, List<Long>> bySale = new HashMap<>();
  private final long timer;
  private final Vertx vertx;
  private int size;

  public SentMarker(Vertx vertx, Inventory inventory, long flushMillis) {
    this.vertx = vertx;
    this.inventory = inventory;
    this.timer = vertx.setPeriodic(flushMillis, t -> flush());
  }

  public void sent(long saleId, long orderId) {
    bySale.computeIfAbsent(saleId, k -> new ArrayList<>()).add(orderId);
    if (++size >= MAX_BATCH) flush();
  }

  public void flush() {
    if (size == 0) return;
    bySale.forEach(inventory::markSent);
    bySale.clear();
    size = 0;
  }

  public void close() {
    vertx.cancelTimer(timer);
    flush();
  }
}
