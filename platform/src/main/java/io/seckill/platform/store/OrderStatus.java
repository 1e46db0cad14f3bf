package io.seckill.platform.store;

/** SPEC §3. QUEUED lives in Redis (a reservation); the others are rows in PostgreSQL. */
public enum OrderStatus {
  QUEUED, PENDING_PAYMENT, PAID, CANCELLED, REJECTED;

  /** Statuses that hold stock (SPEC §5, invariant 1). */
  public boolean holdsStock() {
    return this == QUEUED || this == PENDING_PAYMENT || this == PAID;
  }
}
