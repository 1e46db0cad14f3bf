package io.seckill.worker;

import io.seckill.platform.contract.OrderMessage;
import io.seckill.platform.store.OrderStore;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/** The order rows a worker writes: idempotent batch inserts, and REJECTED rows for orders the database refused. */
interface OrderRows {
  /** Inserts orders created at createdAt (duplicates ignored); how many rows are new. */
  Future<Integer> insert(List<OrderMessage> orders, Instant createdAt);

  Future<Void> reject(OrderMessage order, String reason);

  static OrderRows of(OrderStore store) {
    return new OrderRows() {
      @Override
      public Future<Integer> insert(List<OrderMessage> orders, Instant createdAt) {
        return store.insertBatch(orders, createdAt);
      }

      @Override
      public Future<Void> reject(OrderMessage order, String reason) {
        return store.insertRejected(order, reason);
      }
    };
  }
}
