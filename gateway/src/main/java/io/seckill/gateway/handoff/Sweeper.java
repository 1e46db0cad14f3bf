package io.seckill.gateway.handoff;

import io.seckill.gateway.kafka.OrderPublisher;
import io.seckill.gateway.sale.SaleCatalog;
import io.seckill.inventory.Inventory;
import io.seckill.inventory.Reservation;
import io.seckill.platform.contract.OrderMessage;
import io.seckill.platform.store.Sale;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The other half of the local message table. A reservation whose order no broker acknowledged to
 * Redis (its gateway died between the Redis decrement and the Kafka ack, or the ack is slow) is
 * re-sent once it is older than sweepAfter, and again at every pass until a broker acknowledges it.
 * It is never released here: only the gateway that sent it knows its first send failed. (Releasing
 * on a failed re-send lost acknowledged orders when a broker was killed mid-rush: the first send's
 * ack came after the sweeper had given the stock back.) The workers ignore a second copy, and every
 * gateway sweeps; doing the same reservation twice is harmless.
 */
public final class Sweeper {
  private static final Logger log = LoggerFactory.getLogger(Sweeper.class);
  private static final int BATCH = 500;

  private final Vertx vertx;
  private final Inventory inventory;
  private final SaleCatalog catalog;
  private final OrderPublisher publisher;
  private final Duration sweepAfter;
  private final Duration interval;
  private long timer = -1;
  private boolean running;

  public Sweeper(
      Vertx vertx,
      Inventory inventory,
      SaleCatalog catalog,
      OrderPublisher publisher,
      Duration sweepAfter,
      Duration interval) {
    this.vertx = vertx;
    this.inventory = inventory;
    this.catalog = catalog;
    this.publisher = publisher;
    this.sweepAfter = sweepAfter;
    this.interval = interval;
  }

  public void start() {
    timer =
        vertx.setPeriodic(
            interval.toMillis(),
            t -> {
              if (running) return;
              running = true;
              sweep().onComplete(r -> running = false);
            });
  }

  /** One pass over every recent sale. */
  public Future<Void> sweep() {
    long cutoff = System.currentTimeMillis() - sweepAfter.toMillis();
    return catalog
        .recent()
        .compose(
            sales -> {
              List<Future<Void>> all = new ArrayList<>();
              for (Sale sale : sales) all.add(sweep(sale, cutoff));
              return Future.join(all).<Void>mapEmpty();
            })
        .recover(
            e -> {
              log.warn("sweep failed: {}", e.getMessage());
              return Future.succeededFuture();
            });
  }

  private Future<Void> sweep(Sale sale, long cutoff) {
    return inventory
        .unsentSince(sale.id(), cutoff, BATCH)
        .compose(
            orphans -> {
              if (orphans.isEmpty()) return Future.succeededFuture();
              List<Future<Void>> all = new ArrayList<>();
              for (Reservation r : orphans) all.add(resend(sale, r));
              return Future.join(all)
                  .<Void>mapEmpty()
                  .onComplete(
                      x ->
                          log.info(
                              "sweeper handled {} orphaned reservations of sale {}",
                              orphans.size(),
                              sale.id()));
            });
  }

  /**
   * Sends the order again, and on failure leaves it for the next pass rather than giving its stock
   * back: the sweeper cannot know whether the first send reached a broker (its buyer may hold a 202
   * for it), and releasing such an order loses it. Stock held by an orphan while Kafka is down
   * becomes an order once Kafka is back.
   */
  private Future<Void> resend(Sale sale, Reservation r) {
    OrderMessage m =
        new OrderMessage(
            r.orderId(),
            sale.id(),
            r.userId(),
            r.quantity(),
            r.admittedAtMillis(),
            sale.paymentTimeoutSeconds());
    return publisher
        .publish(m)
        .compose(v -> inventory.markSent(sale.id(), List.of(r.orderId())))
        .recover(
            err -> {
              log.warn(
                  "order {} could not be re-sent ({}); it stays reserved and is tried again",
                  r.orderId(),
                  err.getMessage());
              return Future.succeededFuture();
            });
  }

  public void close() {
    if (timer >= 0) vertx.cancelTimer(timer);
  }
}
