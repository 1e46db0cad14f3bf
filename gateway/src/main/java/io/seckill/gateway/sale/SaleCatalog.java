package io.seckill.gateway.sale;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.seckill.gateway.domain.Ports.Sales;
import io.seckill.platform.store.Sale;
import io.seckill.platform.store.SaleStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What every event loop of this gateway knows about sales without asking Redis: their rules and
 * whether they are sold out. A sale's rules never change once created, so a known sale is kept
 * (bounded by size and ttl) and concurrent misses for one id share a single query: at the opening
 * second a rush of buyers costs PostgreSQL one read, not one per buyer. Unknown ids are remembered
 * for five seconds in a cache of their own (so a flood of guessed ids cannot push real sales out):
 * guessing costs at most one query per id per five seconds, and the per-IP bucket bounds the rate
 * of guesses. A sale's id is unknown to anyone until its creation answers, so no real sale hides
 * behind it. The sold-out flag is cleared by a restock notification and also expires after a
 * second, so a notification lost in a reconnect costs at most one extra Redis call per second per
 * sale. With the flag goes a snapshot of the sale's admitted Idempotency-Keys (at most one per
 * unit, so finite once sold out), taken after the flag was set: a keyed purchase on a sold-out sale
 * is answered from it without Redis, and one whose key no admitted order of the sale carries is
 * refused before its token is even checked (see {@link #refusesKey}). No key can be admitted while
 * the sale stays sold out, and stock coming back clears flag and snapshot together (or the flag's
 * second runs out). Caches run their maintenance on the calling thread: no per-request work is
 * handed to ForkJoinPool.commonPool.
 */
public final class SaleCatalog implements Sales {
  private static final Duration SOLD_OUT_TTL = Duration.ofSeconds(1);
  private static final Duration UNKNOWN_TTL = Duration.ofSeconds(5);
  private static final long RECENT_TTL_MILLIS = 2_000;
  private static final long SALES_KEPT = 10_000;

  /** Unknown ids remembered: a flood of guesses fills this cache, not the one of real sales. */
  private static final long UNKNOWN_KEPT = 100_000;

  private final SaleStore store;
  private final AsyncCache<Long, Optional<Sale>> sales;
  private final Cache<Long, Boolean> unknown;
  private final Cache<Long, SoldOut> soldOut;
  private volatile Future<List<Sale>> recent;
  private volatile long recentAt;

  public SaleCatalog(SaleStore store, Duration ttl) {
    this.store = store;
    this.sales =
        Caffeine.newBuilder()
            .maximumSize(SALES_KEPT)
            .executor(Runnable::run)
            // A miss stays here only while concurrent lookups share its query; the unknown cache
            // keeps it after.
            .expireAfter(
                Expiry.<Long, Optional<Sale>>creating(
                    (id, sale) -> sale.isPresent() ? ttl : Duration.ZERO))
            .buildAsync();
    this.unknown =
        Caffeine.newBuilder()
            .maximumSize(UNKNOWN_KEPT)
            .expireAfterWrite(UNKNOWN_TTL)
            .executor(Runnable::run)
            .build();
    this.soldOut =
        Caffeine.newBuilder()
            .maximumSize(SALES_KEPT)
            .expireAfterWrite(SOLD_OUT_TTL)
            .executor(Runnable::run)
            .build();
  }

  @Override
  public Future<Optional<Sale>> find(long saleId) {
    if (unknown.getIfPresent(saleId) != null) return Future.succeededFuture(Optional.empty());
    CompletableFuture<Optional<Sale>> cached = sales.getIfPresent(saleId);
    if (cached != null && cached.isDone() && !cached.isCompletedExceptionally())
      return Future.succeededFuture(cached.join());
    CompletableFuture<Optional<Sale>> loading =
        sales.get(
            saleId,
            (id, executor) ->
                store
                    .find(id)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .thenApply(
                        found -> {
                          if (found.isEmpty()) unknown.put(id, Boolean.TRUE);
                          return found;
                        }));
    // Deliver on the caller's event loop, whichever loop's query completed the shared load.
    Context context = Vertx.currentContext();
    return context == null
        ? Future.fromCompletionStage(loading)
        : Future.fromCompletionStage(loading, context);
  }

  /** Sales that may still have reservations in Redis; re-read at most every two seconds. */
  @Override
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
    unknown.invalidate(sale.id());
    sales.put(sale.id(), CompletableFuture.completedFuture(Optional.of(sale)));
  }

  /** Forgets a sale entirely (the warm-up's private sales, once done). */
  public void forget(long saleId) {
    sales.synchronous().invalidate(saleId);
    soldOut.invalidate(saleId);
  }

  @Override
  public boolean isSoldOut(long saleId) {
    return soldOut.getIfPresent(saleId) != null;
  }

  /**
   * Sets the flag; returns the new flag if it was not set (its keys are then to be loaded with
   * {@link SoldOut#accept}), or null if it was.
   */
  @Override
  public SoldOut markSoldOut(long saleId) {
    SoldOut fresh = new SoldOut();
    return soldOut.asMap().putIfAbsent(saleId, fresh) == null ? fresh : null;
  }

  /**
   * The sale's admitted keys (field: user, newline, key; value: order id) while it is sold out, or
   * null if not known.
   */
  @Override
  public Map<String, Long> soldOutKeys(long saleId) {
    SoldOut flag = soldOut.getIfPresent(saleId);
    return flag == null ? null : flag.keys;
  }

  /**
   * True if the sale is flagged sold out, its snapshot of admitted keys has loaded, and no admitted
   * order of the sale, whoever bought it, carries this Idempotency-Key. Such a purchase can only be
   * refused as sold out, and answering so before the token is checked tells nothing: an unknown key
   * gets the same answer whoever sends it, the same as GET /api/sales/{id}. A key admitted for
   * anyone goes the full path (token, then the lookup of its user and key). False while the
   * snapshot is loading: the full path answers then, as it did before the snapshot existed.
   */
  public boolean refusesKey(long saleId, String idempotencyKey) {
    SoldOut flag = soldOut.getIfPresent(saleId);
    if (flag == null) return false;
    Set<String> bare = flag.bareKeys;
    return bare != null && !bare.contains(idempotencyKey);
  }

  /**
   * A sold-out flag and, once loaded, the keys admitted before it was set: by (user, key) as Redis
   * keeps them, and the bare keys.
   */
  public static final class SoldOut implements Consumer<Map<String, Long>> {
    private volatile Map<String, Long> keys;
    private volatile Set<String> bareKeys;

    @Override
    public void accept(Map<String, Long> admittedKeys) {
      this.keys = admittedKeys;
      this.bareKeys = bareKeys(admittedKeys);
    }

    /**
     * The key part of each field (user, newline, key): an Idempotency-Key has no newline, so it is
     * what follows the last one.
     */
    static Set<String> bareKeys(Map<String, Long> admittedKeys) {
      List<String> bare = new ArrayList<>(admittedKeys.size());
      for (String field : admittedKeys.keySet())
        bare.add(field.substring(field.lastIndexOf('\n') + 1));
      return Set.copyOf(bare);
    }
  }

  public void clearSoldOut(long saleId) {
    soldOut.invalidate(saleId);
  }
}
