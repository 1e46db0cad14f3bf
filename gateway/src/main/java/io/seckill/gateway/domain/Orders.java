package io.seckill.gateway.domain;

import io.seckill.gateway.domain.Ports.OrderRows;
import io.seckill.gateway.domain.Ports.Sales;
import io.seckill.gateway.domain.Ports.Stock;
import io.seckill.platform.store.Order;
import io.seckill.platform.store.OrderStatus;
import io.seckill.platform.store.Sale;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reading, paying and cancelling one buyer's order. Payment, cancellation and the deadline race
 * through compare-and-set updates on the order's version; stock goes back only for the cancellation
 * that won.
 */
public final class Orders {
  private final OrderRows store;
  private final Stock inventory;
  private final Sales catalog;
  private final AdmittedOrders admitted;
  private final Function<Order, Future<Void>> giveBack;

  /**
   * @param giveBack returns a cancelled order's stock and never fails (StockReturns retries in the
   *     background)
   */
  public Orders(
      OrderRows store,
      Stock inventory,
      Sales catalog,
      AdmittedOrders admitted,
      Function<Order, Future<Void>> giveBack) {
    this.store = store;
    this.inventory = inventory;
    this.catalog = catalog;
    this.admitted = admitted;
    this.giveBack = giveBack;
  }

  /**
   * The order as its owner sees it: a row, or QUEUED while it is a reservation. Anyone else gets
   * order-not-found.
   */
  public Future<Order> find(long orderId, String userId) {
    long saleId = admitted.saleOf(orderId);
    if (saleId == 0) return findAnywhere(orderId, userId);
    // Admitted here: while it is queued, one Redis read answers (the reservation goes only after
    // the row exists).
    return reservation(saleId, orderId)
        .compose(
            q ->
                q.isPresent()
                    ? Future.succeededFuture(owned(q.get(), userId))
                    : store
                        .find(orderId)
                        .map(row -> owned(row.orElseThrow(() -> notFound(orderId)), userId)));
  }

  private Future<Order> findAnywhere(long orderId, String userId) {
    return store
        .find(orderId)
        .compose(
            row -> {
              if (row.isPresent()) return Future.succeededFuture(owned(row.get(), userId));
              return queued(orderId)
                  .compose(
                      q ->
                          q.isPresent()
                              ? Future.succeededFuture(owned(q.get(), userId))
                              // Between the two reads a worker may have turned the reservation into
                              // a row.
                              : store
                                  .find(orderId)
                                  .map(
                                      again ->
                                          owned(
                                              again.orElseThrow(() -> notFound(orderId)), userId)));
            });
  }

  public Future<Order> pay(long orderId, String userId, String paymentRef) {
    return find(orderId, userId)
        .compose(
            order ->
                switch (order.status()) {
                  case PAID ->
                      paymentRef.equals(order.paymentRef())
                          ? Future.succeededFuture(order)
                          : Future.failedFuture(
                              Refusal.ORDER_NOT_PAYABLE.with(
                                  "order " + orderId + " was paid with another payment reference"));
                  case PENDING_PAYMENT ->
                      store
                          .pay(orderId, order.version(), paymentRef)
                          .compose(
                              won ->
                                  won
                                      ? store.find(orderId).map(Optional::orElseThrow)
                                      : find(orderId, userId)
                                          .compose(
                                              now ->
                                                  now.status() == OrderStatus.PAID
                                                          && paymentRef.equals(now.paymentRef())
                                                      ? Future.succeededFuture(now)
                                                      : Future.failedFuture(notPayable(now))));
                  default -> Future.failedFuture(notPayable(order));
                });
  }

  public Future<Order> cancel(long orderId, String userId) {
    return find(orderId, userId)
        .compose(
            order ->
                switch (order.status()) {
                  case CANCELLED -> Future.succeededFuture(order);
                  case PENDING_PAYMENT ->
                      store
                          .cancelByUser(orderId, order.version())
                          .compose(
                              won ->
                                  won
                                      // The cancel stands once it won; a stock return that fails is
                                      // retried by StockReturns, not by the buyer.
                                      ? giveBack
                                          .apply(order)
                                          .compose(
                                              v -> store.find(orderId).map(Optional::orElseThrow))
                                      : find(orderId, userId)
                                          .compose(
                                              now ->
                                                  now.status() == OrderStatus.CANCELLED
                                                      ? Future.succeededFuture(now)
                                                      : Future.failedFuture(notCancellable(now))));
                  default -> Future.failedFuture(notCancellable(order));
                });
  }

  private Future<Optional<Order>> queued(long orderId) {
    return catalog.recent().compose(sales -> searchReservation(sales, 0, orderId));
  }

  private Future<Optional<Order>> searchReservation(List<Sale> sales, int i, long orderId) {
    if (i >= sales.size()) return Future.succeededFuture(Optional.empty());
    return reservation(sales.get(i).id(), orderId)
        .compose(
            r ->
                r.isPresent()
                    ? Future.succeededFuture(r)
                    : searchReservation(sales, i + 1, orderId));
  }

  private Future<Optional<Order>> reservation(long saleId, long orderId) {
    return inventory
        .reservation(saleId, orderId)
        .map(
            r ->
                r.map(
                    resv ->
                        new Order(
                            orderId,
                            saleId,
                            resv.userId(),
                            resv.quantity(),
                            OrderStatus.QUEUED,
                            0,
                            null,
                            null,
                            null)));
  }

  private static Order owned(Order order, String userId) {
    if (!order.userId().equals(userId)) throw notFound(order.id());
    return order;
  }

  private static RefusedException notFound(long orderId) {
    return Refusal.ORDER_NOT_FOUND.with("no order " + orderId);
  }

  private static RefusedException notPayable(Order order) {
    String why =
        switch (order.status()) {
          case QUEUED -> "is still queued; try again in a moment";
          case PENDING_PAYMENT -> "is past its payment deadline";
          default -> "is " + order.status();
        };
    return Refusal.ORDER_NOT_PAYABLE.with("order " + order.id() + " " + why);
  }

  private static RefusedException notCancellable(Order order) {
    String why =
        order.status() == OrderStatus.QUEUED
            ? "is still queued; try again in a moment"
            : "is " + order.status();
    return Refusal.ORDER_NOT_CANCELLABLE.with("order " + order.id() + " " + why);
  }
}
