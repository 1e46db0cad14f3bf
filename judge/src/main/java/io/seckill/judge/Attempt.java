package io.seckill.judge;

import java.util.Locale;

/**
 * One request as the client saw it: what it asked, and what (if anything) it was told. The checker
 * judges the system's final state against these.
 *
 * @param status the HTTP status, or {@link #NO_ANSWER} when the request timed out or the connection
 *     failed
 * @param problem the slug of the problem type (e.g. "sold-out"), or null
 * @param orderId the order id of a 202 (purchases) or the order acted on (payments, cancels,
 *     polls), or null
 * @param gateway which gateway was asked (0 when there is one)
 * @param atMillis when the request was sent (epoch millis)
 * @param micros how long until it was answered or given up on; {@link #UNTIMED} when not measured
 */
public record Attempt(
    Kind kind,
    String userId,
    String idempotencyKey,
    int status,
    String problem,
    String orderId,
    int gateway,
    long atMillis,
    long micros) {
  public static final int NO_ANSWER = -1;
  public static final long UNTIMED = -1;

  /** What was asked; {@link #label()} names it in the outcome counts ("purchase 409 sold-out"). */
  public enum Kind {
    PURCHASE,
    POLL,
    PAYMENT,
    CANCEL,
    BAD_INPUT;

    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  public enum Outcome {
    ACCEPTED,
    REFUSED,
    INDETERMINATE
  }

  /** An untimed request to the only gateway (the load tests, crafted inputs). */
  public Attempt(
      Kind kind,
      String userId,
      String idempotencyKey,
      int status,
      String problem,
      String orderId,
      long atMillis) {
    this(kind, userId, idempotencyKey, status, problem, orderId, 0, atMillis, UNTIMED);
  }

  /**
   * A timeout or a 5xx other than 503 tells the client nothing: the order may or may not exist. 503
   * "overloaded" is a promise that nothing was taken, so it is a refusal the checker holds the
   * system to.
   */
  public Outcome outcome() {
    if (status == NO_ANSWER || (status >= 500 && status != 503)) return Outcome.INDETERMINATE;
    if (kind == Kind.PURCHASE ? status == 202 && orderId != null : status == 200)
      return Outcome.ACCEPTED;
    return Outcome.REFUSED;
  }

  public boolean answered() {
    return status != NO_ANSWER;
  }

  /**
   * When the answer came (or the request was given up on), epoch millis; the send time when
   * untimed.
   */
  public long answeredAtMillis() {
    return atMillis + Math.max(0, micros) / 1000;
  }

  /**
   * "purchase 202", "purchase 409 sold-out", "poll no answer": the key of {@link
   * Ledger#outcomes()}.
   */
  public String label() {
    return kind.label()
        + " "
        + (status == NO_ANSWER ? "no answer" : status + (problem == null ? "" : " " + problem));
  }

  public static Attempt purchase(
      String userId, String key, int status, String problem, String orderId) {
    return new Attempt(
        Kind.PURCHASE, userId, key, status, problem, orderId, System.currentTimeMillis());
  }
}
