package io.seckill.gateway.sale;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.seckill.platform.store.Sale;
import io.seckill.platform.store.SaleStore;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What every event loop of this gateway knows about sales without asking Redis: their rules (immutable once created)
 * and whether they are sold out. The sold-out flag is cleared by a restock notification and also expires after a
 * second, so a notification lost in a reconnect costs at most one extra Redis call per second per sale.
 */
public final class SaleCatalog {
  private static final Duration SOLD_OUT_TTL = Duration.ofSeconds(1);
  private static final long RECENT_TTL_MILLIS = 2_000;

  private final SaleStore store;
  private final Cache<Long, Optional<Sale>> sales;
  private final Cache<Long, Boolean> soldOut;
  private volatile Future<List<Sale>> recent;
  private volatile long recentAt;

  public SaleCatalog(SaleStore store, Duration ttl) {
    this.store = store;
    this.sales = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(ttl).build();
    this.soldOut = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(SOLD_OUT_TTL).build();
  }

  /** The sale, from this process's cache when it can; unknown ids are cached too, so guessing ids costs no queries. */
  public Future<Optional<Sale>> find(long saleId) {
    Optional<Sale> cached = sales.getIfPresent(saleId);
    if (cached != null) return Future.succeededFuture(cached);
    return store.find(saleId).onSuccess(s -> sales.put(saleId, s));
  }

  /** Sales that may still have reservations in Redis; re-read at most every two seconds. */
  public Future<List<Sale>> recent() {
    long now = System.currentTimeMillis();
    Future<List<Sale>> r = recent;
    if (r == null || now - recentAt > RECENT_TTL_MILLIS || r.failed()) {
      recentAt = now;
      r = store.recent();
      recent = r;
    }
    return r;
  }

  public void remember(Sale sale) {
    recentAt = 0;
    sales.put(sale.id(), Optional.of(sale));
  }

  public boolean isSoldOut(long saleId) {
    return soldOut.getIfPresent(saleId) != null;
  }

  public void markSoldOut(long saleId) {
    soldOut.put(saleId, Boolean.TRUE);
  }

  public void clearSoldOut(long saleId) {
    soldOut.invalidate(saleId);
  }
}
