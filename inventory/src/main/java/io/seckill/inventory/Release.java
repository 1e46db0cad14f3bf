package io.seckill.inventory;

/**
 * What releasing an undelivered reservation found. SETTLED (a worker claimed it) and DELIVERED (a
 * broker acknowledged it) both mean the order exists after all and its stock stays taken.
 */
public enum Release {
  RELEASED,
  SETTLED,
  DELIVERED,
  ALREADY_RELEASED,
  UNKNOWN;

  /** The order reached Kafka: answer as if the hand-off had succeeded. */
  public boolean delivered() {
    return this == SETTLED || this == DELIVERED;
  }
}
