package io.seckill.gateway.domain;

import io.seckill.inventory.Inventory;
import io.seckill.platform.contract.DeadlineMessage;
import io.seckill.platform.store.Order;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back the stock of an order its user cancelled. The return is idempotent (return.lua
 * remembers each order it returned), so a failed one is simply tried again, with back-off, for as
 * long as this gateway lives, whatever became of the HTTP request. A gateway restart is covered by
 * a durable trace: after the first failure a due-now deadline is written to the delay topic, and
 * the delay service returns the stock of every cancelled order whose deadline it meets (retrying
 * failed batches itself). If even that write fails, the order's original payment deadline, already
 * on the delay topic, does the same later. Every path goes through the same script, so the stock
 * comes back exactly once.
 */
public final class StockReturns {
  private static final Logger log = LoggerFactory.getLogger(StockReturns.class);
  static final long FIRST_BACKOFF_MILLIS = 200;
  static final long MAX_BACKOFF_MILLIS = 30_000;

  private final Vertx vertx;
  private final Inventory inventory;
  private final Function<DeadlineMessage, Future<Void>> durableTrace;
  private final AtomicInteger retrying = new AtomicInteger();
  private volatile boolean closed;

  public StockReturns(
      Vertx vertx, Inventory inventory, Function<DeadlineMessage, Future<Void>> durableTrace) {
    this.vertx = vertx;
    this.inventory = inventory;
    this.durableTrace = durableTrace;
  }

  /**
   * Returns the order's stock now if Redis answers, else keeps retrying in the background; never
   * fails.
   */
  public Future<Void> giveBack(Order order) {
    return inventory
        .returnStock(order.saleId(), order.id(), order.userId(), order.quantity())
        .<Void>mapEmpty()
        .recover(
            e -> {
              log.warn(
                  "stock of cancelled order {} not returned yet ({}); retrying",
                  order.id(),
                  e.toString());
              retrying.incrementAndGet();
              durableTrace
                  .apply(
                      new DeadlineMessage(order.id(), order.saleId(), System.currentTimeMillis()))
                  .onFailure(
                      k ->
                          log.warn(
                              "no due-now deadline for order {} ({}); its payment deadline returns the stock after a restart",
                              order.id(),
                              k.toString()));
              retry(order, FIRST_BACKOFF_MILLIS);
              return Future.succeededFuture();
            });
  }

  /** Cancelled orders whose stock this gateway is still trying to give back. */
  public int retrying() {
    return retrying.get();
  }

  public void close() {
    closed = true;
  }

  private void retry(Order order, long backoffMillis) {
    vertx.setTimer(
        backoffMillis,
        t -> {
          if (closed) {
            retrying.decrementAndGet();
            return;
          }
          inventory
              .returnStock(order.saleId(), order.id(), order.userId(), order.quantity())
              .onComplete(
                  r -> {
                    if (r.succeeded()) {
                      retrying.decrementAndGet();
                      log.info("stock of cancelled order {} returned after retrying", order.id());
                    } else {
                      retry(order, Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2));
                    }
                  });
        });
  }
}
