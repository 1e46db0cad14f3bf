package io.seckill.gateway.http;

import io.seckill.gateway.domain.BackendFailure;
import io.seckill.gateway.domain.RefusedException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure path: every refusal (the domain's RefusedException, the HTTP layer's
 * ProblemException) and every unexpected error becomes application/problem+json (RFC 9457).
 */
public final class Problems {
  private static final Logger log = LoggerFactory.getLogger(Problems.class);
  public static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {}

  /** Router failure handler. */
  public static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof RefusedException r) {
      send(ctx, Problem.of(r.refusal()), r.getMessage(), r.retryAfterSeconds());
    } else if (failure instanceof ProblemException p) {
      send(ctx, p.problem(), p.getMessage(), p.retryAfterSeconds());
    } else if (failure == null) {
      send(ctx, fromStatus(ctx.statusCode()), null, 0);
    } else {
      switch (BackendFailure.classify(failure)) {
        // This call never ran, but an earlier step of the same request may have (a payment whose
        // read-back failed), so
        // the detail does not promise that nothing changed; the purchase path says so itself where
        // it is true.
        case NOT_EXECUTED -> {
          warnAtMostEverySecond(ctx, failure);
          send(ctx, Problem.OVERLOADED, "a backing service is unavailable; try again shortly", 1);
        }
        // A read changes nothing whatever became of it; a write whose reply was lost may have
        // happened.
        case MAY_HAVE_EXECUTED -> {
          warnAtMostEverySecond(ctx, failure);
          if (isSafe(ctx.request().method())) {
            send(
                ctx,
                Problem.OVERLOADED,
                "a backing service did not answer in time; try again shortly",
                1);
          } else {
            send(
                ctx,
                Problem.OUTCOME_UNKNOWN,
                "a backing service did not confirm the change, which may or may not have"
                    + " happened; repeat the same request to learn which",
                1);
          }
        }
        case NOT_A_BACKEND_FAILURE -> {
          // Unexpected: log once, with the path (which carries the sale or order id), never leak
          // the stack to the client.
          log.error(
              "unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
          send(ctx, Problem.INTERNAL, "an unexpected error occurred", 0);
        }
      }
    }
  }

  /**
   * The problem a refusal is answered with (the domain's or the HTTP layer's), or null for any
   * other failure.
   */
  static Problem of(Throwable failure) {
    if (failure instanceof RefusedException r) return Problem.of(r.refusal());
    if (failure instanceof ProblemException p) return p.problem();
    return null;
  }

  private static final long WARN_EVERY_MILLIS = 1_000;
  private static final AtomicLong lastWarn = new AtomicLong();
  private static final AtomicLong suppressed = new AtomicLong();

  /**
   * Under overload the same failure repeats thousands of times a second: say it once a second, with
   * a count.
   */
  private static void warnAtMostEverySecond(RoutingContext ctx, Throwable failure) {
    long now = System.currentTimeMillis();
    long last = lastWarn.get();
    if (now - last >= WARN_EVERY_MILLIS && lastWarn.compareAndSet(last, now)) {
      log.warn(
          "answering 503 on {} {}: {} ({} more since the last warning)",
          ctx.request().method(),
          ctx.request().path(),
          failure.toString(),
          suppressed.getAndSet(0));
    } else {
      suppressed.incrementAndGet();
    }
  }

  public static void send(
      RoutingContext ctx, Problem problem, String detail, long retryAfterSeconds) {
    send(ctx.request(), problem, detail, retryAfterSeconds);
  }

  /**
   * For answers given before the router (e.g. connection shedding); completes when the response is
   * written.
   */
  public static Future<Void> send(
      HttpServerRequest request, Problem problem, String detail, long retryAfterSeconds) {
    HttpServerResponse response = request.response();
    if (response.headWritten()) {
      response.reset();
      return Future.succeededFuture();
    }
    response.setStatusCode(problem.status()).putHeader("content-type", CONTENT_TYPE);
    if (retryAfterSeconds > 0) response.putHeader("retry-after", Long.toString(retryAfterSeconds));
    return response.end(body(problem, detail, request.path()));
  }

  /**
   * The problem document; a caller that answers the same problem often may encode it once and reuse
   * the buffer.
   */
  public static Buffer body(Problem problem, String detail, String instance) {
    return new JsonObject()
        .put("type", problem.type())
        .put("title", problem.title())
        .put("status", problem.status())
        .put("detail", detail == null ? problem.title() : detail)
        .put("instance", instance)
        .toBuffer();
  }

  private static boolean isSafe(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD;
  }

  private static Problem fromStatus(int status) {
    return switch (status) {
      case 400 -> Problem.INVALID_REQUEST;
      case 401 -> Problem.UNAUTHORIZED;
      case 404 -> Problem.NOT_FOUND;
      case 405 -> Problem.METHOD_NOT_ALLOWED;
      case 413 -> Problem.PAYLOAD_TOO_LARGE;
      case 415 -> Problem.UNSUPPORTED_MEDIA_TYPE;
      default -> status >= 400 && status < 500 ? Problem.INVALID_REQUEST : Problem.INTERNAL;
    };
  }
}
