package io.seckill.inventory;

/** What a worker's claim found. Only CLAIMED and SETTLED orders may be persisted. */
public enum Handoff {
  CLAIMED,
  SETTLED,
  RELEASED,
  UNKNOWN
}
