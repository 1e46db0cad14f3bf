package io.seckill.worker;

import io.seckill.inventory.Handoff;
import io.seckill.inventory.Inventory;
import io.vertx.core.Future;
import java.util.List;

/**
 * The part of the Redis inventory a worker uses: the claim arbiter, dropping reservations,
 * returning stock.
 */
interface Stock {
  Future<List<Handoff>> claim(long saleId, List<Long> orderIds);

  Future<Void> forget(long saleId, List<Long> orderIds);

  Future<Boolean> returnStock(long saleId, long orderId, String userId, int quantity);

  static Stock of(Inventory inventory) {
    return new Stock() {
      @Override
      public Future<List<Handoff>> claim(long saleId, List<Long> orderIds) {
        return inventory.claim(saleId, orderIds);
      }

      @Override
      public Future<Void> forget(long saleId, List<Long> orderIds) {
        return inventory.forget(saleId, orderIds);
      }

      @Override
      public Future<Boolean> returnStock(long saleId, long orderId, String userId, int quantity) {
        return inventory.returnStock(saleId, orderId, userId, quantity);
      }
    };
  }
}
