package io.seckill.launcher;

import io.seckill.inventory.Inventory;
import io.seckill.inventory.Reconciliation;
import io.seckill.judge.Await;
import io.seckill.platform.config.Env;
import io.seckill.platform.config.Servers;
import io.seckill.platform.store.Postgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * The Redis recovery path: rebuilds a sale's stock, per-user holdings, returned-stock set and
 * worker claims from PostgreSQL (the rows) plus the reservations Redis still holds. For after Redis
 * lost its last writes (appendfsync everysec loses up to about a second on a machine crash), or to
 * repair drift. Run it with the sale's order workers drained; admissions may go on meanwhile (the
 * script is atomic in Redis).
 */
@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    description =
        "Rebuild a sale's Redis stock from PostgreSQL plus outstanding reservations (run with the workers drained).")
final class ReconcileCommand implements Callable<Integer> {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  @Option(
      names = "--sale",
      required = true,
      paramLabel = "ID",
      description = "the sale to reconcile")
  long saleId;

  @Unmatched List<String> flags = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Env env = SettingFlags.apply(Env.system(), flags);
    Result r = reconcile(Servers.from(env), saleId);
    if (r == null) {
      System.err.println("no sale " + saleId + " in PostgreSQL");
      return 2;
    }
    System.out.println(r);
    return 0;
  }

  /** What one reconciliation found and set. */
  record Result(
      long saleId,
      String stockBefore,
      long stockAfter,
      long liveUnits,
      long reservedUnits,
      long droppedReservations) {
    @Override
    public String toString() {
      return "sale "
          + saleId
          + ": redis stock "
          + (stockBefore.isEmpty() ? "(missing)" : stockBefore)
          + " -> "
          + stockAfter
          + " (rows holding "
          + liveUnits
          + " units, outstanding reservations "
          + reservedUnits
          + " units, "
          + droppedReservations
          + " reservations of persisted orders dropped)";
    }
  }

  /** Null if PostgreSQL has no such sale. */
  static Result reconcile(Servers servers, long saleId) {
    Vertx vertx = Vertx.vertx();
    Pool pool = Postgres.pool(vertx, servers, "reconcile");
    Redis redis =
        Redis.createClient(vertx, new RedisOptions().setConnectionString(servers.redisUri()));
    try {
      RowSet<Row> sale =
          await(
              pool.preparedQuery(
                      "select initial_stock, starts_at, ends_at, per_user_limit from sales where id = $1")
                  .execute(Tuple.of(saleId)));
      if (sale.rowCount() == 0) return null;
      Row s = sale.iterator().next();
      List<Reconciliation.Row> rows = new ArrayList<>();
      for (Row o :
          await(
              pool.preparedQuery(
                      "select id, user_id, quantity, status from orders where sale_id = $1")
                  .execute(Tuple.of(saleId)))) {
        rows.add(
            new Reconciliation.Row(
                o.getLong("id"),
                o.getString("user_id"),
                o.getInteger("quantity"),
                o.getString("status")));
      }
      Reconciliation r =
          await(
              new Inventory(redis, CALL_TIMEOUT)
                  .reconcile(
                      new Reconciliation.Input(
                          saleId,
                          s.getInteger("initial_stock"),
                          s.getOffsetDateTime("starts_at").toInstant().toEpochMilli(),
                          s.getOffsetDateTime("ends_at").toInstant().toEpochMilli(),
                          s.getInteger("per_user_limit"),
                          rows)));
      return new Result(
          saleId,
          r.stockBefore(),
          r.stockAfter(),
          r.liveUnits(),
          r.reservedUnits(),
          r.droppedReservations());
    } finally {
      redis.close();
      await(pool.close());
      await(vertx.close());
    }
  }

  private static <T> T await(Future<T> f) {
    return Await.result(f.toCompletionStage(), CALL_TIMEOUT);
  }
}
