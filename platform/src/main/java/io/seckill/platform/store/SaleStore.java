package io.seckill.platform.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Sales in PostgreSQL. */
public final class SaleStore {
  private final Pool pool;
  private final Duration timeout;

  public SaleStore(Pool pool, Duration timeout) {
    this.pool = pool;
    this.timeout = timeout;
  }

  public Future<Sale> insert(Sale s) {
    return pool.preparedQuery(Sql.INSERT_SALE)
        .execute(
            Tuple.of(
                    s.id(),
                    s.item(),
                    s.initialStock(),
                    s.priceCents(),
                    s.startsAt().atOffset(ZoneOffset.UTC),
                    s.endsAt().atOffset(ZoneOffset.UTC))
                .addInteger(s.perUserLimit())
                .addInteger(s.paymentTimeoutSeconds()))
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .map(rows -> s);
  }

  public Future<Optional<Sale>> find(long id) {
    return pool.preparedQuery(Sql.SELECT_SALE)
        .execute(Tuple.of(id))
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(toSale(rows.iterator().next())));
  }

  public Future<List<Sale>> recent() {
    return pool.preparedQuery(Sql.SELECT_RECENT_SALES)
        .execute()
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .map(
            rows -> {
              List<Sale> out = new ArrayList<>();
              rows.forEach(r -> out.add(toSale(r)));
              return out;
            });
  }

  static Sale toSale(Row r) {
    return new Sale(
        r.getLong("id"),
        r.getString("item"),
        r.getInteger("initial_stock"),
        r.getLong("price_cents"),
        r.getOffsetDateTime("starts_at").toInstant(),
        r.getOffsetDateTime("ends_at").toInstant(),
        r.getInteger("per_user_limit"),
        r.getInteger("payment_timeout_seconds"));
  }
}
