package io.seckill.worker;

import io.seckill.platform.contract.OrderMessage;
import io.seckill.platform.store.OrderStore;
import io.seckill.platform.store.OrderStore.Owner;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * The order rows a worker writes: idempotent batch inserts, who holds the ids an insert skipped,
 * and REJECTED rows for orders the database refused.
 */
interface OrderRows {
  /**
   * Inserts orders created at createdAt (ids already taken are skipped); the ids of the rows it
   * created.
   */
  Future<List<Long>> insert(List<OrderMessage> orders, Instant createdAt);

  /** The rows that hold these ids. */
  Future<List<Owner>> owners(List<Long> orderIds);

  Future<Void> reject(OrderMessage order, String reason);

  static OrderRows of(OrderStore store) {
    return new OrderRows() {
      @Override
      public Future<List<Long>> insert(List<OrderMessage> orders, Instant createdAt) {
        return store.insertBatch(orders, createdAt);
      }

      @Override
      public Future<List<Owner>> owners(List<Long> orderIds) {
        return store.owners(orderIds);
      }

      @Override
      public Future<Void> reject(OrderMessage order, String reason) {
        return store.insertRejected(order, reason);
      }
    };
  }
}
