package io.seckill.delay;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the service's own statements, matching no order, before it consumes: so the first deadlines
 * of a sale do not pay for opening the PostgreSQL and Redis connections and for loading and
 * compiling the code that cancels, at the moment the machine is busiest with the sale itself. On
 * the 2-core fault suite the first cancellations of an unprimed service reached PostgreSQL 0.8 to
 * 1.4 s after they were sent, and orders went more than 2 s past their deadline (RELIABILITY.md,
 * "Session 6: the gateway-kill deadline misses").
 *
 * <p>Priming is best effort: a database or Redis that is down at start must not keep the service
 * from consuming (a deadline then waits for it, retried as always); a failure is logged and the
 * service starts anyway.
 */
final class Primer {
  private static final Logger log = LoggerFactory.getLogger(Primer.class);

  private final Canceller.Orders orders;
  private final Supplier<Future<Void>> redisPing;
  private final int parallel;
  private final int rounds;

  /**
   * @param parallel calls at once, so the pool opens as many connections as a burst of batches
   *     would
   * @param rounds times each statement runs on each lane: enough for the JIT to compile its path
   */
  Primer(Canceller.Orders orders, Supplier<Future<Void>> redisPing, int parallel, int rounds) {
    this.orders = orders;
    this.redisPing = redisPing;
    this.parallel = parallel;
    this.rounds = rounds;
  }

  /** Completes (never fails) once every lane has run its rounds or one of its calls failed. */
  Future<Void> prime() {
    long start = System.nanoTime();
    List<Future<Void>> lanes = new ArrayList<>(parallel);
    for (int i = 0; i < parallel; i++) lanes.add(lane(0));
    return Future.all(lanes)
        .<Void>mapEmpty()
        .onSuccess(
            v ->
                log.info(
                    "primed: {} x {} rounds of the cancel statements and Redis in {} ms",
                    parallel,
                    rounds,
                    (System.nanoTime() - start) / 1_000_000))
        .recover(
            e -> {
              log.warn(
                  "priming failed, consuming anyway (first deadlines may be slower): {}",
                  e.toString());
              return Future.succeededFuture();
            });
  }

  /** One lane: the canceller's statements in the order a batch runs them, matching no row. */
  private Future<Void> lane(int round) {
    if (round >= rounds) return Future.succeededFuture();
    List<Long> none = List.of();
    return orders
        .cancelExpired(none)
        .compose(v -> orders.released(none))
        .compose(v -> orders.pendingDeadlines(none))
        .compose(v -> redisPing.get())
        .compose(v -> lane(round + 1));
  }
}
