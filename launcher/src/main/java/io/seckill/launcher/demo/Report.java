package io.seckill.launcher.demo;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;

/** The demo's closing report (SPEC §7): outcomes, orders by status, throughput, latency, invariants, checker. */
final class Report {
  private Report() {
  }

  static void print(PrintStream out, Burst burst, double burstSeconds, JsonObject audit, Checker checker) {
    Tally t = burst.tally;
    out.println();
    out.println("== requests by outcome");
    t.outcomes().forEach((k, v) -> out.printf("  %-40s %7d%n", k, v));
    out.printf("  %-40s %7d in %.1f s (%.0f requests/s)%n", "total", t.requests(), burstSeconds, t.requests() / burstSeconds);
    out.println("== purchase latency");
    out.printf("  p50 %.1f ms   p95 %.1f ms   p99 %.1f ms   (%d purchases)%n", t.purchasePercentileMillis(50),
        t.purchasePercentileMillis(95), t.purchasePercentileMillis(99), t.purchases());
    out.println("== orders");
    out.printf("  initial stock %d, Redis stock left %d, in flight %d%n", audit.getLong("initialStock"),
        audit.getLong("redisStockLeft"), audit.getLong("reservationsInFlight"));
    audit.getJsonObject("ordersByStatus").forEach(e -> out.printf("  %-16s %6s%n", e.getKey(), e.getValue()));
    out.printf("  buyers paid %d, cancelled %d, walked away %d (their deadlines cancel them)%n", burst.paid.get(),
        burst.cancelled.get(), burst.walkedAway.get());
    out.println("== invariants (SPEC §5)");
    for (Object o : audit.getJsonArray("invariants")) {
      JsonObject i = (JsonObject) o;
      out.printf("  %s %-28s %s%n", i.getBoolean("holds") ? "✓" : "✗", i.getString("name"), i.getString("detail"));
    }
    out.println("== checker");
    out.printf("  %s lost %d   %s duplicated %d   %s unexpected %d   recovered %d%n", mark(checker.lost() == 0), checker.lost(),
        mark(checker.duplicated() == 0), checker.duplicated(), mark(checker.unexpected() == 0), checker.unexpected(),
        checker.recovered());
    boolean ok = audit.getBoolean("consistent", false) && checker.clean();
    out.println(ok ? "\nRESULT ✓ every invariant holds" : "\nRESULT ✗ an invariant failed");
  }

  private static String mark(boolean ok) {
    return ok ? "✓" : "✗";
  }
}
