package io.seckill.gateway.http;

import io.seckill.gateway.domain.Refusal;

/**
 * The problem types of docs/SPEC.md §3: slug (the end of the problem's type URI), HTTP status and
 * title. Each refusal of the domain has the problem of the same name; the others are HTTP's own
 * (authentication, routing, body limits).
 */
public enum Problem {
  INVALID_REQUEST("invalid-request", 400, "The request is invalid"),
  PAYLOAD_TOO_LARGE("invalid-request", 413, "The request body is too large"),
  UNSUPPORTED_MEDIA_TYPE("invalid-request", 415, "The request body must be JSON"),
  UNAUTHORIZED("unauthorized", 401, "A valid bearer token is required"),
  FORBIDDEN("unauthorized", 403, "This needs an admin token"),
  NOT_FOUND("not-found", 404, "No such resource"),
  METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
  SALE_NOT_FOUND("sale-not-found", 404, "No such sale"),
  SALE_NOT_ACTIVE("sale-not-active", 409, "The sale is not active"),
  SOLD_OUT("sold-out", 409, "Sold out"),
  LIMIT_REACHED("limit-reached", 409, "Purchase limit reached"),
  ORDER_NOT_FOUND("order-not-found", 404, "No such order"),
  ORDER_NOT_PAYABLE("order-not-payable", 409, "The order cannot be paid"),
  ORDER_NOT_CANCELLABLE("order-not-cancellable", 409, "The order cannot be cancelled"),
  RATE_LIMITED("rate-limited", 429, "Too many requests"),
  OVERLOADED("overloaded", 503, "The system is busy"),
  OUTCOME_UNKNOWN("outcome-unknown", 504, "The outcome is not known"),
  INTERNAL("internal-error", 500, "Internal error");

  public static final String TYPE_PREFIX = "https://seckill.dev/problems/";

  /** Indexed by Refusal.ordinal(): the failure handler maps a refusal without a lookup by name. */
  private static final Problem[] BY_REFUSAL = new Problem[Refusal.values().length];

  static {
    for (Refusal r : Refusal.values()) BY_REFUSAL[r.ordinal()] = valueOf(r.name());
  }

  private final String slug;
  private final int status;
  private final String title;

  Problem(String slug, int status, String title) {
    this.slug = slug;
    this.status = status;
    this.title = title;
  }

  public String slug() {
    return slug;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public String type() {
    return TYPE_PREFIX + slug;
  }

  /** The problem a domain refusal is answered with. */
  public static Problem of(Refusal refusal) {
    return BY_REFUSAL[refusal.ordinal()];
  }

  public ProblemException with(String detail) {
    return new ProblemException(this, detail);
  }
}
