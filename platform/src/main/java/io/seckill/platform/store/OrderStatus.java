package io.seckill.platform.store;

/** docs/SPEC.md §3. QUEUED lives in Redis (a reservation); the others are rows in PostgreSQL. */
public enum OrderStatus {
  QUEUED,
  PENDING_PAYMENT,
  PAID,
  CANCELLED,
  REJECTED
}
