package io.seckill.inventory;

/**
 * What the admission script decided. orderId is the new order, or the earlier one for a replayed
 * Idempotency-Key.
 */
public record Admission(Outcome outcome, long orderId, long stockLeft, long admittedAtMillis) {

  public enum Outcome {
    OK,
    DUPLICATE,
    NO_SALE,
    NOT_STARTED,
    ENDED,
    SOLD_OUT,
    INSUFFICIENT,
    LIMIT
  }

  public boolean admitted() {
    return outcome == Outcome.OK || outcome == Outcome.DUPLICATE;
  }
}
