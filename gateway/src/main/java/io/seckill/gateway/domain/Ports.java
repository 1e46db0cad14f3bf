package io.seckill.gateway.domain;

import io.seckill.inventory.Admission;
import io.seckill.inventory.Inventory;
import io.seckill.inventory.Inventory.Candidate;
import io.seckill.inventory.Release;
import io.seckill.inventory.Reservation;
import io.seckill.platform.contract.OrderMessage;
import io.seckill.platform.store.Order;
import io.seckill.platform.store.OrderStore;
import io.seckill.platform.store.Sale;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What Purchases and Orders need from Redis, Kafka and PostgreSQL, and nothing more: their rules
 * are unit-tested with fakes of these (PurchasesTest, OrdersTest), as the worker's BatchProcessor
 * is. Gateway wires the real ones.
 */
public final class Ports {
  private Ports() {}

  /** A sale's stock and reservations in Redis (inventory's scripts). */
  public interface Stock {
    /** The order an Idempotency-Key was admitted with, if any. */
    Future<Optional<Long>> admittedOrder(long saleId, String userId, String idempotencyKey);

    /** The order while it is a reservation (not a row yet). */
    Future<Optional<Reservation>> reservation(long saleId, long orderId);

    /** Gives back an undelivered reservation's stock, unless it reached Kafka after all. */
    Future<Release> release(long saleId, long orderId);

    /** A broker acknowledged the order; true if its reservation still stands. */
    Future<Boolean> confirmSent(long saleId, long orderId);

    /** Every Idempotency-Key admitted for the sale (field: user, newline, key; value: order id). */
    Future<Map<String, Long>> admittedKeys(long saleId);
  }

  /** Admits one purchase in Redis (grouped with others of its event loop: GroupAdmission). */
  @FunctionalInterface
  public interface Admitter {
    Future<Admission> admit(long saleId, Candidate candidate);
  }

  /** The orders topic: completes once a broker acknowledged the record. */
  @FunctionalInterface
  public interface OrderQueue {
    Future<Void> publish(OrderMessage message);
  }

  /** Orders a broker acknowledged, for the sweeper to forget (batched: SentMarker). */
  @FunctionalInterface
  public interface SentLog {
    void sent(long saleId, long orderId);
  }

  /** Sales' rules and their sold-out flags, as this gateway knows them (SaleCatalog). */
  public interface Sales {
    Future<Optional<Sale>> find(long saleId);

    /** Sales that may still have reservations in Redis. */
    Future<List<Sale>> recent();

    boolean isSoldOut(long saleId);

    /** The sale's admitted keys while it is flagged sold out, or null if not known (yet). */
    Map<String, Long> soldOutKeys(long saleId);

    /**
     * Sets the sold-out flag; returns where to keep the admitted keys if this call set it, or null
     * if it was set.
     */
    Consumer<Map<String, Long>> markSoldOut(long saleId);
  }

  /** The orders table (compare-and-set updates on an order's version). */
  public interface OrderRows {
    Future<Optional<Order>> find(long orderId);

    /** True if this payment won the compare-and-set. */
    Future<Boolean> pay(long orderId, int version, String paymentRef);

    /** True if this cancellation won the compare-and-set. */
    Future<Boolean> cancelByUser(long orderId, int version);
  }

  public static Stock stock(Inventory inventory) {
    return new Stock() {
      @Override
      public Future<Optional<Long>> admittedOrder(
          long saleId, String userId, String idempotencyKey) {
        return inventory.admittedOrder(saleId, userId, idempotencyKey);
      }

      @Override
      public Future<Optional<Reservation>> reservation(long saleId, long orderId) {
        return inventory.reservation(saleId, orderId);
      }

      @Override
      public Future<Release> release(long saleId, long orderId) {
        return inventory.release(saleId, orderId);
      }

      @Override
      public Future<Boolean> confirmSent(long saleId, long orderId) {
        return inventory.confirmSent(saleId, orderId);
      }

      @Override
      public Future<Map<String, Long>> admittedKeys(long saleId) {
        return inventory.admittedKeys(saleId);
      }
    };
  }

  public static OrderRows rows(OrderStore store) {
    return new OrderRows() {
      @Override
      public Future<Optional<Order>> find(long orderId) {
        return store.find(orderId);
      }

      @Override
      public Future<Boolean> pay(long orderId, int version, String paymentRef) {
        return store.pay(orderId, version, paymentRef);
      }

      @Override
      public Future<Boolean> cancelByUser(long orderId, int version) {
        return store.cancelByUser(orderId, version);
      }
    };
  }
}
