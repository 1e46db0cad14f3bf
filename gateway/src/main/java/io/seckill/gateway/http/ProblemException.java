package io.seckill.gateway.http;

/**
 * A refusal of the HTTP layer itself (token, body, route); the domain's are RefusedException. One
 * handler turns both into application/problem+json; neither is logged as an error.
 */
public final class ProblemException extends RuntimeException {
  private final Problem problem;
  private final long retryAfterSeconds;

  public ProblemException(Problem problem, String detail) {
    this(problem, detail, 0);
  }

  public ProblemException(Problem problem, String detail, long retryAfterSeconds) {
    super(detail, null, false, false);
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public Problem problem() {
    return problem;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
