package io.seckill.gateway.domain;

/**
 * Why a rule of the gateway refused a request, in the domain's words: no HTTP here. The HTTP layer
 * maps each to its problem type (http.Problem#of) in the one failure handler.
 */
public enum Refusal {
  INVALID_REQUEST,
  SALE_NOT_FOUND,
  SALE_NOT_ACTIVE,
  SOLD_OUT,
  LIMIT_REACHED,
  ORDER_NOT_FOUND,
  ORDER_NOT_PAYABLE,
  ORDER_NOT_CANCELLABLE,
  /** A per-user or per-address bucket, or a cap on concurrent work, is exhausted: retry later. */
  RATE_LIMITED,
  /** Nothing was done; a backing service or this gateway cannot take it now: retry shortly. */
  OVERLOADED,
  /** A change may or may not have happened: retry with the same Idempotency-Key to learn which. */
  OUTCOME_UNKNOWN;

  public RefusedException with(String detail) {
    return new RefusedException(this, detail, 0);
  }

  /**
   * @param retryAfterSeconds when the caller may try again (0: not said)
   */
  public RefusedException with(String detail, long retryAfterSeconds) {
    return new RefusedException(this, detail, retryAfterSeconds);
  }
}
