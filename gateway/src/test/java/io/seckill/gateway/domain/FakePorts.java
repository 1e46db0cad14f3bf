package io.seckill.gateway.domain;

import io.seckill.gateway.domain.Ports.OrderRows;
import io.seckill.gateway.domain.Ports.Sales;
import io.seckill.gateway.domain.Ports.Stock;
import io.seckill.inventory.Release;
import io.seckill.inventory.Reservation;
import io.seckill.platform.store.Order;
import io.seckill.platform.store.OrderStatus;
import io.seckill.platform.store.Sale;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * In-memory stand-ins for Redis, the sale catalog and the orders table: what the rules see, and
 * what they did.
 */
final class FakePorts {
  private FakePorts() {}

  /**
   * Reservations and admitted keys in memory; releases answer {@link #releaseAnswer} (or fail with
   * releaseFailure).
   */
  static final class FakeStock implements Stock {
    final Map<Long, Reservation> reservations = new HashMap<>();
    final Map<String, Long> keys = new HashMap<>();
    final List<Long> released = new ArrayList<>();
    final List<Long> confirmed = new ArrayList<>();
    Release releaseAnswer = Release.RELEASED;
    Throwable releaseFailure;

    @Override
    public Future<Optional<Long>> admittedOrder(long saleId, String userId, String key) {
      return Future.succeededFuture(Optional.ofNullable(keys.get(userId + "\n" + key)));
    }

    @Override
    public Future<Optional<Reservation>> reservation(long saleId, long orderId) {
      return Future.succeededFuture(Optional.ofNullable(reservations.get(orderId)));
    }

    @Override
    public Future<Release> release(long saleId, long orderId) {
      released.add(orderId);
      if (releaseFailure != null) return Future.failedFuture(releaseFailure);
      if (releaseAnswer == Release.RELEASED) reservations.remove(orderId);
      return Future.succeededFuture(releaseAnswer);
    }

    @Override
    public Future<Boolean> confirmSent(long saleId, long orderId) {
      confirmed.add(orderId);
      return Future.succeededFuture(reservations.containsKey(orderId));
    }

    @Override
    public Future<Map<String, Long>> admittedKeys(long saleId) {
      return Future.succeededFuture(Map.copyOf(keys));
    }
  }

  /** Known sales and sold-out flags with their kept keys. */
  static final class FakeSales implements Sales {
    final Map<Long, Sale> sales = new HashMap<>();
    final Map<Long, Map<String, Long>> soldOut = new HashMap<>();
    int findCalls;

    @Override
    public Future<Optional<Sale>> find(long saleId) {
      findCalls++;
      return Future.succeededFuture(Optional.ofNullable(sales.get(saleId)));
    }

    @Override
    public Future<List<Sale>> recent() {
      return Future.succeededFuture(List.copyOf(sales.values()));
    }

    @Override
    public boolean isSoldOut(long saleId) {
      return soldOut.containsKey(saleId);
    }

    @Override
    public Map<String, Long> soldOutKeys(long saleId) {
      return soldOut.get(saleId);
    }

    @Override
    public Consumer<Map<String, Long>> markSoldOut(long saleId) {
      if (soldOut.containsKey(saleId)) return null;
      soldOut.put(saleId, null);
      return keys -> soldOut.put(saleId, keys);
    }
  }

  /** The orders table with its compare-and-set on version. */
  static final class FakeRows implements OrderRows {
    final Map<Long, Order> rows = new HashMap<>();

    /**
     * Runs just before each compare-and-set: a concurrent change (the deadline, another tab)
     * landing first.
     */
    Runnable beforeWrite = () -> {};

    @Override
    public Future<Optional<Order>> find(long orderId) {
      return Future.succeededFuture(Optional.ofNullable(rows.get(orderId)));
    }

    @Override
    public Future<Boolean> pay(long orderId, int version, String paymentRef) {
      beforeWrite.run();
      Order o = rows.get(orderId);
      if (o == null || o.version() != version || o.status() != OrderStatus.PENDING_PAYMENT)
        return Future.succeededFuture(false);
      rows.put(
          orderId,
          new Order(
              o.id(),
              o.saleId(),
              o.userId(),
              o.quantity(),
              OrderStatus.PAID,
              version + 1,
              o.expiresAt(),
              paymentRef,
              null));
      return Future.succeededFuture(true);
    }

    @Override
    public Future<Boolean> cancelByUser(long orderId, int version) {
      beforeWrite.run();
      Order o = rows.get(orderId);
      if (o == null || o.version() != version || o.status() != OrderStatus.PENDING_PAYMENT)
        return Future.succeededFuture(false);
      rows.put(
          orderId,
          new Order(
              o.id(),
              o.saleId(),
              o.userId(),
              o.quantity(),
              OrderStatus.CANCELLED,
              version + 1,
              o.expiresAt(),
              null,
              "cancelled by user"));
      return Future.succeededFuture(true);
    }
  }
}
