package io.seckill.delay;

import io.seckill.inventory.Inventory;
import io.seckill.platform.contract.DeadlineMessage;
import io.seckill.platform.store.OrderStore;
import io.seckill.platform.store.OrderStore.Deadline;
import io.seckill.platform.store.OrderStore.Released;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Acts on deadlines that have passed. The cancel is one compare-and-set UPDATE for the whole batch,
 * so an order that was paid or cancelled by its user a moment earlier is left alone. Stock goes
 * back for every cancelled order of the batch, not just those cancelled now: the return is
 * idempotent, and this is what repairs a crash between the cancel and the return (the redelivered
 * deadline finds the order cancelled and its stock not yet back).
 */
final class Canceller {
  /** The part of the order store the canceller uses. */
  interface Orders {
    /**
     * Cancels those of ids still PENDING_PAYMENT whose expires_at has passed (one compare-and-set);
     * yields them.
     */
    Future<List<Released>> cancelExpired(List<Long> ids);

    /** Those of ids already CANCELLED or REJECTED, whose stock may not be back yet. */
    Future<List<Released>> released(List<Long> ids);

    /** Those of ids still PENDING_PAYMENT, with their expires_at. */
    Future<List<Deadline>> pendingDeadlines(List<Long> ids);

    static Orders of(OrderStore store) {
      return new Orders() {
        @Override
        public Future<List<Released>> cancelExpired(List<Long> ids) {
          return store.cancelExpired(ids);
        }

        @Override
        public Future<List<Released>> released(List<Long> ids) {
          return store.released(ids);
        }

        @Override
        public Future<List<Deadline>> pendingDeadlines(List<Long> ids) {
          return store.pendingDeadlines(ids);
        }
      };
    }
  }

  /**
   * The part of the Redis inventory the canceller uses: the idempotent stock return (true if
   * returned now).
   */
  interface Stock {
    Future<Boolean> returnStock(Released order);

    static Stock of(Inventory inventory) {
      return r -> inventory.returnStock(r.saleId(), r.orderId(), r.userId(), r.quantity());
    }
  }

  private final Orders store;
  private final Stock inventory;
  private final int returnsInFlight;
  private final DelayStats stats;

  Canceller(Orders store, Stock inventory, int returnsInFlight, DelayStats stats) {
    this.store = store;
    this.inventory = inventory;
    this.returnsInFlight = returnsInFlight;
    this.stats = stats;
  }

  /**
   * Cancels what is due and returns its stock; yields the orders still unpaid whose deadline is not
   * reached yet.
   */
  Future<List<Deadline>> act(List<DeadlineMessage> due) {
    Map<Long, Long> dueAtById = new HashMap<>();
    due.forEach(d -> dueAtById.merge(d.orderId(), d.dueAtMillis(), Math::min));
    List<Long> ids = new ArrayList<>(dueAtById.keySet());
    return store
        .cancelExpired(ids)
        .compose(
            cancelled -> {
              long now = System.currentTimeMillis();
              for (Released r : cancelled) stats.lateness.record(now - dueAtById.get(r.orderId()));
              stats.cancelled.add(cancelled.size());
              Set<Long> cancelledNow = new HashSet<>();
              cancelled.forEach(r -> cancelledNow.add(r.orderId()));
              List<Long> others = ids.stream().filter(id -> !cancelledNow.contains(id)).toList();
              // Usually every due order is cancelled here and the two look-ups below are skipped.
              if (others.isEmpty()) return returnStock(cancelled).map(v -> List.<Deadline>of());
              Future<List<Deadline>> pending = store.pendingDeadlines(others);
              return store
                  .released(others)
                  .compose(earlier -> returnStock(concat(cancelled, earlier)))
                  .compose(v -> pending);
            });
  }

  private static List<Released> concat(List<Released> a, List<Released> b) {
    List<Released> all = new ArrayList<>(a.size() + b.size());
    all.addAll(a);
    all.addAll(b);
    return all;
  }

  private Future<Void> returnStock(List<Released> released) {
    return Lanes.forEach(
        released,
        returnsInFlight,
        r ->
            inventory
                .returnStock(r)
                .onSuccess(
                    returnedNow -> {
                      if (returnedNow) stats.stockReturns.increment();
                    }));
  }
}
