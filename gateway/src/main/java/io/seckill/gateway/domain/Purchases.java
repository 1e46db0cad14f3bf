package io.seckill.gateway.domain;

import io.seckill.gateway.domain.Ports.Admitter;
import io.seckill.gateway.domain.Ports.OrderQueue;
import io.seckill.gateway.domain.Ports.Sales;
import io.seckill.gateway.domain.Ports.SentLog;
import io.seckill.gateway.domain.Ports.Stock;
import io.seckill.inventory.Admission;
import io.seckill.inventory.Inventory.Candidate;
import io.seckill.inventory.RedisKeys;
import io.seckill.inventory.Reservation;
import io.seckill.platform.contract.OrderMessage;
import io.seckill.platform.store.Sale;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The purchase path: local checks first (no network), then admission in Redis (one script call per
 * group of purchases that arrived together on this event loop, see GroupAdmission), then Kafka. The
 * buyer hears 202 only once the broker has the order; if the hand-off fails the stock goes back
 * before the buyer hears 503. One instance per event loop; it reaches Redis, Kafka and the sale
 * catalog through Ports only.
 */
public final class Purchases {
  private static final Logger log = LoggerFactory.getLogger(Purchases.class);

  private final Vertx vertx;
  private final Stock inventory;
  private final Admitter groups;
  private final Sales catalog;
  private final OrderQueue publisher;
  private final LongSupplier lag;
  private final LongSupplier ids;
  private final AdmittedOrders admitted;
  private final SentLog marker;
  private final long maxLag;
  private final long testSendDelayMillis;

  /**
   * @param lag the order workers' consumer lag now; past maxLag purchases are refused as overloaded
   * @param ids the next order id (refuses OVERLOADED while this gateway holds no node-id lease)
   * @param vertx only for the test send delay's timer
   */
  public Purchases(
      Vertx vertx,
      Stock inventory,
      Admitter groups,
      Sales catalog,
      OrderQueue publisher,
      LongSupplier lag,
      LongSupplier ids,
      AdmittedOrders admitted,
      SentLog marker,
      long maxLag,
      Duration testSendDelay) {
    this.vertx = vertx;
    this.inventory = inventory;
    this.groups = groups;
    this.catalog = catalog;
    this.publisher = publisher;
    this.lag = lag;
    this.ids = ids;
    this.admitted = admitted;
    this.marker = marker;
    this.maxLag = maxLag;
    this.testSendDelayMillis = testSendDelay.toMillis();
  }

  /**
   * The id of the admitted order (a new one, or the earlier one for a replayed Idempotency-Key).
   *
   * @param quantity already checked against the largest allowed; the sale's per-user limit is
   *     checked here
   * @param idempotencyKey null if the buyer sent none
   */
  public Future<Long> purchase(long saleId, String userId, int quantity, String idempotencyKey) {
    // A replayed Idempotency-Key must get its order back even after the sale sold out, so a keyed
    // request on a sold-out
    // sale looks its key up in the snapshot of admitted keys (one HGET while the snapshot loads);
    // only a key that was
    // admitted goes further.
    if (catalog.isSoldOut(saleId)) {
      if (idempotencyKey == null) return Future.failedFuture(soldOut(saleId));
      Map<String, Long> keys = catalog.soldOutKeys(saleId);
      Future<Optional<Long>> known;
      if (keys == null) {
        known = inventory.admittedOrder(saleId, userId, idempotencyKey);
      } else {
        Long order = keys.get(RedisKeys.idempotencyField(userId, idempotencyKey));
        if (order == null) return Future.failedFuture(soldOut(saleId));
        known = Future.succeededFuture(Optional.of(order));
      }
      return known.compose(
          previous ->
              previous.isEmpty()
                  ? Future.failedFuture(soldOut(saleId))
                  : catalog
                      .find(saleId)
                      .compose(
                          found ->
                              replay(
                                  found.orElseThrow(
                                      () -> Refusal.SALE_NOT_FOUND.with("no sale " + saleId)),
                                  previous.get())));
    }
    return catalog
        .find(saleId)
        .compose(
            found -> {
              Sale sale = found.orElseThrow(() -> Refusal.SALE_NOT_FOUND.with("no sale " + saleId));
              Instant now = Instant.now();
              if (now.isBefore(sale.startsAt()))
                throw Refusal.SALE_NOT_ACTIVE.with("the sale starts at " + sale.startsAt());
              if (!now.isBefore(sale.endsAt()))
                throw Refusal.SALE_NOT_ACTIVE.with("the sale ended at " + sale.endsAt());
              if (quantity > sale.perUserLimit()) {
                throw Refusal.LIMIT_REACHED.with("at most " + sale.perUserLimit() + " per buyer");
              }
              if (lag.getAsLong() > maxLag) {
                throw Refusal.OVERLOADED.with(
                    "too many orders are waiting to be processed; try again shortly", 1);
              }
              long orderId = ids.getAsLong();
              return groups
                  .admit(saleId, new Candidate(orderId, userId, quantity, idempotencyKey))
                  .transform(
                      admitting -> {
                        if (admitting.failed())
                          return unknownAdmission(sale, orderId, admitting.cause());
                        Admission admission = admitting.result();
                        return switch (admission.outcome()) {
                          case OK ->
                              handOff(sale, message(sale, orderId, userId, quantity, admission));
                          case DUPLICATE -> replay(sale, admission.orderId());
                          default -> Future.failedFuture(refusal(sale, admission));
                        };
                      });
            });
  }

  private Future<Long> handOff(Sale sale, OrderMessage message) {
    return delayForTests()
        .compose(v -> publisher.publish(message))
        .map(
            v -> {
              marker.sent(sale.id(), message.orderId());
              admitted.admitted(message.orderId(), sale.id());
              return message.orderId();
            })
        .recover(
            err ->
                inventory
                    .release(sale.id(), message.orderId())
                    .transform(
                        releasing -> {
                          if (releasing.failed())
                            return Future.failedFuture(outcomeUnknown(message.orderId()));
                          if (releasing.result().delivered())
                            return Future.succeededFuture(message.orderId());
                          log.warn(
                              "order {} not queued ({}); stock returned: {}",
                              message.orderId(),
                              err.getMessage(),
                              releasing.result());
                          return Future.failedFuture(
                              Refusal.OVERLOADED.with(
                                  "the order could not be queued and nothing was taken; try again",
                                  1));
                        }));
  }

  /**
   * The admission script's reply did not come in time, so it may or may not have taken stock. A 503
   * promises the buyer that nothing was taken, so first make that true: the release goes down the
   * same pipelined connection behind the admission, runs after it in Redis, and gives back whatever
   * it reserved. Only if that fails too is the outcome unknown (504: retry with the same
   * Idempotency-Key to learn it).
   */
  private Future<Long> unknownAdmission(Sale sale, long orderId, Throwable cause) {
    // Refused before it ran (Redis loading, unreachable, busy, ...): nothing was taken, so there is
    // nothing to release.
    BackendFailure kind = BackendFailure.classify(cause);
    if (kind == BackendFailure.NOT_EXECUTED) return Future.failedFuture(nothingTaken());
    return inventory
        .release(sale.id(), orderId)
        .transform(
            releasing -> {
              if (releasing.failed()) return Future.failedFuture(outcomeUnknown(orderId));
              if (releasing.result().delivered()) {
                admitted.admitted(orderId, sale.id());
                return Future.succeededFuture(orderId);
              }
              return Future.failedFuture(
                  kind == BackendFailure.MAY_HAVE_EXECUTED ? nothingTaken() : cause);
            });
  }

  private static RefusedException nothingTaken() {
    return Refusal.OVERLOADED.with(
        "the stock service is unavailable and nothing was taken; try again", 1);
  }

  private static RefusedException outcomeUnknown(long orderId) {
    return Refusal.OUTCOME_UNKNOWN.with(
        "order "
            + orderId
            + " may or may not have been taken; retry with the same Idempotency-Key to learn which",
        1);
  }

  /**
   * The same Idempotency-Key again. If the first attempt is still a reservation, it may never have
   * reached Kafka (its gateway died), so send it again; the workers ignore the copy if it did.
   */
  private Future<Long> replay(Sale sale, long orderId) {
    admitted.admitted(orderId, sale.id());
    return inventory
        .reservation(sale.id(), orderId)
        .compose(
            resv -> {
              if (resv.isEmpty()) return Future.succeededFuture(orderId);
              Reservation r = resv.get();
              OrderMessage m =
                  new OrderMessage(
                      orderId,
                      sale.id(),
                      r.userId(),
                      r.quantity(),
                      r.admittedAtMillis(),
                      sale.paymentTimeoutSeconds());
              return publisher
                  .publish(m)
                  .compose(v -> inventory.confirmSent(sale.id(), orderId))
                  .compose(
                      stands ->
                          stands
                              ? Future.succeededFuture(orderId)
                              : Future.failedFuture(
                                  Refusal.OVERLOADED.with(
                                      "the order could not be queued; try again", 1)));
            });
  }

  private static RefusedException soldOut(long saleId) {
    return Refusal.SOLD_OUT.with("sale " + saleId + " is sold out");
  }

  private RefusedException refusal(Sale sale, Admission a) {
    return switch (a.outcome()) {
      case NO_SALE -> Refusal.SALE_NOT_FOUND.with("no stock is loaded for sale " + sale.id());
      case NOT_STARTED, ENDED -> Refusal.SALE_NOT_ACTIVE.with("the sale is not active");
      case SOLD_OUT -> {
        Consumer<Map<String, Long>> keep = catalog.markSoldOut(sale.id());
        // Read after the script that saw no stock, so it holds every key admitted before (none can
        // be added since).
        if (keep != null) inventory.admittedKeys(sale.id()).onSuccess(keep::accept);
        yield soldOut(sale.id());
      }
      case INSUFFICIENT -> Refusal.SOLD_OUT.with("only " + a.stockLeft() + " left");
      case LIMIT -> Refusal.LIMIT_REACHED.with("at most " + sale.perUserLimit() + " per buyer");
      case OK, DUPLICATE -> throw new IllegalArgumentException("not a refusal: " + a.outcome());
    };
  }

  private static OrderMessage message(
      Sale sale, long orderId, String userId, int quantity, Admission a) {
    return new OrderMessage(
        orderId, sale.id(), userId, quantity, a.admittedAtMillis(), sale.paymentTimeoutSeconds());
  }

  /** Fault injection only: widens the window between the Redis decrement and the Kafka send. */
  private Future<Void> delayForTests() {
    if (testSendDelayMillis <= 0) return Future.succeededFuture();
    Promise<Void> p = Promise.promise();
    vertx.setTimer(testSendDelayMillis, t -> p.complete());
    return p.future();
  }
}
