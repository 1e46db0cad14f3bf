package io.seckill.gateway.domain;

/**
 * A refusal the caller can act on, raised by the gateway's rules. It is an answer, not an error: no
 * stack trace is filled in and it is never logged as an error; the HTTP layer's one failure handler
 * turns it into problem+json.
 */
public final class RefusedException extends RuntimeException {
  private final Refusal refusal;
  private final long retryAfterSeconds;

  RefusedException(Refusal refusal, String detail, long retryAfterSeconds) {
    super(detail, null, false, false);
    this.refusal = refusal;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public Refusal refusal() {
    return refusal;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
