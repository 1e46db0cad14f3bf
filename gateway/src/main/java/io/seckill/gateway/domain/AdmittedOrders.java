package io.seckill.gateway.domain;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * The sale of each order this gateway admitted recently. A buyer polls the order it was just given;
 * while the order is still a reservation, knowing its sale lets that poll be one Redis read instead
 * of a PostgreSQL miss followed by a search of every recent sale. Orders admitted by another
 * gateway take the general path.
 */
public final class AdmittedOrders {
  private final Cache<Long, Long> saleOf;

  public AdmittedOrders(long maxEntries, Duration keep) {
    this.saleOf =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .expireAfterWrite(keep)
            .executor(Runnable::run)
            .build();
  }

  public void admitted(long orderId, long saleId) {
    saleOf.put(orderId, saleId);
  }

  /** The order's sale, or 0 if this gateway does not know it. */
  public long saleOf(long orderId) {
    Long sale = saleOf.getIfPresent(orderId);
    return sale == null ? 0 : sale;
  }
}
