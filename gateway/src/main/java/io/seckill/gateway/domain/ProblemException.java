package io.seckill.gateway.domain;

/** A refusal the client can act on. One handler turns it into application/problem+json; it is never logged as an error. */
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
