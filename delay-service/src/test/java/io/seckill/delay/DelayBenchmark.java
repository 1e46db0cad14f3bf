package io.seckill.delay;

import io.seckill.platform.config.Settings;
import io.seckill.platform.store.OrderStore.Deadline;
import io.seckill.platform.store.Sale;
import io.seckill.platform.testing.Await;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Benchmark, not a test: N unpaid orders whose deadlines fall due within the same S milliseconds,
 * against the real dev stack, one delay service. Reports cancellations per second and lateness
 * (cancelled_at - expires_at, from PostgreSQL). Run with delay-service/bench.sh [orders]
 * [spreadMillis] [worker|late].
 */
public final class DelayBenchmark {
  private DelayBenchmark() {}

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  public static void main(String[] args) {
    int orders = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    long spreadMillis = args.length > 1 ? Long.parseLong(args[1]) : 10_000;
    // "worker": each deadline written when its order was persisted, a 30 s payment timeout earlier
    // (one hop, like
    // production); "late": all written now, so each takes the odd remainder down the levels
    // (cascades).
    boolean asWorker = args.length <= 2 || args[2].equals("worker");
    long timeoutMillis = 30_000;
    long leadMillis = 40_000;
    try (DelayHarness h =
        new DelayHarness("bench", Map.of(Settings.DELAY_LEVELS.env(), HopsTest.PROPOSED))) {
      DelayService service = h.startService();
      Sale sale = h.createSale(orders, 600);
      long t = System.currentTimeMillis();
      h.placeOrders(sale, orders);
      System.out.printf("placed %,d orders in %,d ms%n", orders, System.currentTimeMillis() - t);

      // The deadlines of all orders, spread evenly over the window, starting leadMillis from now.
      Instant firstDue = Instant.now().plusMillis(leadMillis);
      Await.await(
          h.pool
              .preparedQuery(
                  """
          update orders o set expires_at = $2 + (r.rank * $3 / $4) * interval '1 millisecond'
          from (select id, row_number() over (order by id) - 1 as rank from orders where sale_id = $1) r
          where o.id = r.id""")
              .execute(
                  Tuple.of(sale.id(), firstDue.atOffset(ZoneOffset.UTC), spreadMillis, orders)));
      List<Deadline> deadlines = new ArrayList<>();
      for (Row r :
          Await.await(
              h.pool
                  .preparedQuery("select id, sale_id, expires_at from orders where sale_id = $1")
                  .execute(Tuple.of(sale.id())))) {
        deadlines.add(
            new Deadline(
                r.getLong("id"),
                r.getLong("sale_id"),
                r.getOffsetDateTime("expires_at").toInstant()));
      }
      t = System.currentTimeMillis();
      if (asWorker) h.scheduleAsWrittenBefore(deadlines, timeoutMillis);
      else h.schedule(deadlines);
      System.out.printf(
          "scheduled %,d deadlines in %,d ms; first due in %,d ms, last %,d ms later%n",
          deadlines.size(),
          System.currentTimeMillis() - t,
          firstDue.toEpochMilli() - System.currentTimeMillis(),
          spreadMillis);

      DelayHarness.waitUntil(
          Duration.ofMillis(leadMillis + spreadMillis + 120_000),
          () -> h.count(sale.id(), "PENDING_PAYMENT") == 0);
      Await.sleep(1_000);

      Row r =
          Await.await(
                  h.pool
                      .preparedQuery(
                          """
          with l as (select extract(epoch from (cancelled_at - expires_at)) * 1000 as late, cancelled_at, expires_at
                     from orders where sale_id = $1 and status = 'CANCELLED')
          select count(*) as n,
                 percentile_cont(0.50) within group (order by late) as p50,
                 percentile_cont(0.99) within group (order by late) as p99,
                 max(late) as max, min(late) as min,
                 extract(epoch from (max(cancelled_at) - min(expires_at))) as span,
                 (select max(c) from (select count(*) as c from l group by date_trunc('second', cancelled_at)) s) as peak
          from l""")
                      .execute(Tuple.of(sale.id())))
              .iterator()
              .next();
      long n = r.getLong("n");
      double span = r.getNumeric("span").doubleValue();
      System.out.printf(
          "%n%,d deadlines due within %,d ms -> %,d cancelled%n", orders, spreadMillis, n);
      System.out.printf(
          "throughput: %,.0f cancellations/s over the whole run (first due -> last cancelled, %.2f s); "
              + "busiest second %,d%n",
          n / span, span, r.getLong("peak"));
      System.out.printf(
          "lateness (cancelled_at - expires_at): p50 %.0f ms, p99 %.0f ms, max %.0f ms, min %.0f ms%n",
          r.getNumeric("p50").doubleValue(),
          r.getNumeric("p99").doubleValue(),
          r.getNumeric("max").doubleValue(),
          r.getNumeric("min").doubleValue());
      System.out.printf(
          "stock back: %,d of %,d; orders with stock returned: %,d%n",
          h.stock(sale.id()), orders, h.returnedOrders(sale.id()));
      var stats = service.stats().snapshot();
      System.out.printf(
          "service: acted %,d, cancelled %,d, stock returns %,d, cascaded %,d, rescheduled %,d, "
              + "failed batches %,d; its own lateness p50 %d ms, p99 %d ms, max %d ms%n",
          stats.acted(),
          stats.cancelled(),
          stats.stockReturns(),
          stats.cascaded(),
          stats.rescheduled(),
          stats.failedBatches(),
          stats.latenessP50(),
          stats.latenessP99(),
          stats.latenessMax());
      System.out.println("load average (1, 5, 15 min): " + loadAverage());
      h.stop(service, false);
    }
    System.exit(0);
  }
}
