package io.seckill.worker;

import io.seckill.platform.kafka.Backoff;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one idempotent step of a batch until it succeeds, backing off between attempts. Poison fails
 * at once (the caller isolates the record); stopping fails with a CancellationException (the
 * records are re-delivered later). The consumer keeps polling meanwhile: the stuck partition fills
 * its buffer and is paused, so nothing busy-loops and the group never sees this worker as dead.
 */
final class Retrier {
  private static final Logger log = LoggerFactory.getLogger(Retrier.class);

  private final Vertx vertx;
  private final Backoff backoff;
  private final WorkerStats stats;
  private volatile boolean stopped;

  Retrier(Vertx vertx, Backoff backoff, WorkerStats stats) {
    this.vertx = vertx;
    this.backoff = backoff;
    this.stats = stats;
  }

  /**
   * what names the step and its orders for the log, e.g. "insert orders-3@1200 (first order 42)".
   */
  <T> Future<T> run(Supplier<String> what, Supplier<Future<T>> step) {
    Promise<T> result = Promise.promise();
    attempt(what, step, 1, 0, result);
    return result.future();
  }

  private <T> void attempt(
      Supplier<String> what,
      Supplier<Future<T>> step,
      int attempt,
      long firstFailureAt,
      Promise<T> result) {
    if (stopped) {
      result.fail(new CancellationException("worker stopping"));
      return;
    }
    Future<T> f;
    try {
      f = step.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(
        ar -> {
          if (ar.succeeded()) {
            if (attempt > 1) {
              log.info(
                  "{} succeeded after {} attempts ({} ms)",
                  what.get(),
                  attempt,
                  System.currentTimeMillis() - firstFailureAt);
            }
            result.complete(ar.result());
            return;
          }
          Throwable e = ar.cause();
          if (Failures.isPoison(e) || Failures.isCancelled(e)) {
            result.fail(e);
            return;
          }
          // One line per failure episode, not per attempt: a long outage must not flood the log.
          if (attempt == 1)
            log.warn("{} failed, retrying with back-off: {}", what.get(), Failures.reason(e));
          stats.retried();
          long delay = backoff.delayMillis(attempt);
          long since = attempt == 1 ? System.currentTimeMillis() : firstFailureAt;
          vertx.setTimer(delay, t -> attempt(what, step, attempt + 1, since, result));
        });
  }

  /**
   * Pending and future retries give up, so a close is not held hostage by a server that is down.
   */
  void stop() {
    stopped = true;
  }
}
