package io.seckill.gateway.http;

import io.seckill.platform.store.Order;
import io.seckill.platform.store.OrderStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one poll behind every order-status stream (SSE) of this gateway: every interval, one query
 * reads all watched orders at once (in slices of at most MAX_IDS_PER_QUERY), whatever the number of
 * streams; each stream hears its row on its own event loop. A user may hold at most maxPerUser
 * streams here, so one client cannot multiply the work. Changes come from other processes (workers,
 * delay service), so there is no local event to wait for instead.
 */
public final class OrderWatch {
  private static final Logger log = LoggerFactory.getLogger(OrderWatch.class);
  static final int MAX_IDS_PER_QUERY = 5_000;

  /** One stream's interest in one order; close it exactly when the stream ends. */
  public final class Registration implements AutoCloseable {
    private final long orderId;
    private final String userId;
    private final Context context;
    private final Consumer<Order> onRow;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Registration(long orderId, String userId, Context context, Consumer<Order> onRow) {
      this.orderId = orderId;
      this.userId = userId;
      this.context = context;
      this.onRow = onRow;
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) return;
      watchers.computeIfPresent(
          orderId,
          (id, set) -> {
            set.remove(this);
            return set.isEmpty() ? null : set;
          });
      perUser.computeIfPresent(userId, (u, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
  }

  private final Vertx vertx;
  private final OrderStore store;
  private final long pollMillis;
  private final int maxPerUser;
  private final Map<Long, Set<Registration>> watchers = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> perUser = new ConcurrentHashMap<>();
  private long timer = -1;
  private boolean polling;

  public OrderWatch(Vertx vertx, OrderStore store, long pollMillis, int maxPerUser) {
    this.vertx = vertx;
    this.store = store;
    this.pollMillis = pollMillis;
    this.maxPerUser = maxPerUser;
  }

  public void start() {
    timer = vertx.setPeriodic(pollMillis, t -> poll());
  }

  public void close() {
    if (timer >= 0) vertx.cancelTimer(timer);
  }

  /** Streams open now (for tests and metrics). */
  public int watching() {
    return watchers.values().stream().mapToInt(Set::size).sum();
  }

  /**
   * Watches orderId for userId; onRow runs on the caller's event loop. Throws rate-limited past the
   * per-user cap.
   */
  public Registration watch(long orderId, String userId, Consumer<Order> onRow) {
    AtomicInteger count =
        perUser.compute(
            userId,
            (u, n) -> {
              if (n == null) return new AtomicInteger(1);
              n.incrementAndGet();
              return n;
            });
    if (count.get() > maxPerUser) {
      perUser.computeIfPresent(userId, (u, n) -> n.decrementAndGet() <= 0 ? null : n);
      throw new ProblemException(
          Problem.RATE_LIMITED, "at most " + maxPerUser + " status streams per user", 5);
    }
    Registration r = new Registration(orderId, userId, Vertx.currentContext(), onRow);
    watchers.computeIfAbsent(orderId, id -> ConcurrentHashMap.newKeySet()).add(r);
    return r;
  }

  private void poll() {
    if (polling || watchers.isEmpty()) return;
    polling = true;
    List<Long> ids = new ArrayList<>(watchers.keySet());
    List<Future<List<Order>>> reads = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += MAX_IDS_PER_QUERY) {
      reads.add(
          store
              .findAll(ids.subList(from, Math.min(ids.size(), from + MAX_IDS_PER_QUERY)))
              .onSuccess(this::deliver));
    }
    Future.join(reads)
        .onComplete(
            done -> {
              polling = false;
              if (done.failed()) log.warn("order status poll failed: {}", done.cause().toString());
            });
  }

  private void deliver(List<Order> rows) {
    for (Order row : rows) {
      Set<Registration> set = watchers.get(row.id());
      if (set == null) continue;
      for (Registration r : set) {
        if (r.context == null) r.onRow.accept(row);
        else r.context.runOnContext(v -> r.onRow.accept(row));
      }
    }
  }
}
