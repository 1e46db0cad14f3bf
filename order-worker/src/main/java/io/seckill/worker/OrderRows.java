package io.seckill.worker;

import io.seckill.platform.contract.OrderMessage;
import io.seckill.platform.store.OrderStore;
import io.seckill.platform.store.OrderStore.Deadline;
import io.vertx.core.Future;
import java.util.List;

/** The order rows a worker writes: idempotent batch inserts, and REJECTED rows for orders the database refused. */
interface OrderRows {
  /** Inserts (duplicates ignored); the deadline of every still-unpaid order of the batch, new or already there. */
  Future<List<Deadline>> insert(List<OrderMessage> orders);

  Future<Void> reject(OrderMessage order, String reason);

  static OrderRows of(OrderStore store) {
    return new OrderRows() {
      @Override
      public Future<List<Deadline>> insert(List<OrderMessage> orders) {
        return store.insertBatch(orders);
      }

      @Override
      public Future<Void> reject(OrderMessage order, String reason) {
        return store.insertRejected(order, reason);
      }
    };
  }
}
