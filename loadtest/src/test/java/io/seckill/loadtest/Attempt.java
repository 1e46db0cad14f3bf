package io.seckill.loadtest;

/**
 * One request as the client saw it: what it asked, and what (if anything) it was told. The checker judges the
 * system's final state against these.
 *
 * @param status the HTTP status, or {@link #NO_ANSWER} when the request timed out or the connection failed
 * @param problem the slug of the problem type (e.g. "sold-out"), or null
 * @param orderId the order id of a 202 (purchases) or the order acted on (payments, cancels)
 */
public record Attempt(Kind kind, String userId, String idempotencyKey, int status, String problem, String orderId,
                      long atMillis) {
  public static final int NO_ANSWER = -1;

  public enum Kind { PURCHASE, PAYMENT, CANCEL }

  public enum Outcome { ACCEPTED, REFUSED, INDETERMINATE }

  /**
   * A timeout or a 5xx other than 503 tells the client nothing: the order may or may not exist. 503 "overloaded" is a
   * promise that nothing was taken, so it is a refusal the checker holds the system to.
   */
  public Outcome outcome() {
    if (status == NO_ANSWER || (status >= 500 && status != 503)) return Outcome.INDETERMINATE;
    if (kind == Kind.PURCHASE ? status == 202 && orderId != null : status == 200) return Outcome.ACCEPTED;
    return Outcome.REFUSED;
  }

  public static Attempt purchase(String userId, String key, int status, String problem, String orderId) {
    return new Attempt(Kind.PURCHASE, userId, key, status, problem, orderId, System.currentTimeMillis());
  }
}
