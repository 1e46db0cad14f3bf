package io.seckill.launcher.demo;

import io.seckill.judge.Attempt.Kind;
import io.seckill.judge.Checker;
import io.seckill.judge.Ledger;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;

/**
 * The demo's closing report (docs/SPEC.md §7): outcomes, orders by status, throughput, latency,
 * invariants, checker.
 */
final class Report {
  private Report() {}

  static void print(
      PrintStream out, Burst burst, double burstSeconds, JsonObject audit, Checker.Report checker) {
    Ledger t = burst.ledger;
    int requests = t.requests();
    long answeredPurchases =
        t.snapshot().stream().filter(a -> a.kind() == Kind.PURCHASE && a.answered()).count();
    out.println();
    out.println("== requests by outcome");
    t.outcomes().forEach((k, v) -> out.printf("  %-40s %7d%n", k, v));
    out.printf(
        "  %-40s %7d in %.1f s (%.0f requests/s)%n",
        "total", requests, burstSeconds, requests / burstSeconds);
    out.println("== purchase latency");
    out.printf(
        "  p50 %.1f ms   p95 %.1f ms   p99 %.1f ms   (%d purchases)%n",
        t.percentileMillis(Kind.PURCHASE, 50),
        t.percentileMillis(Kind.PURCHASE, 95),
        t.percentileMillis(Kind.PURCHASE, 99),
        answeredPurchases);
    out.println("== orders");
    out.printf(
        "  initial stock %d, Redis stock left %d, in flight %d%n",
        audit.getLong("initialStock"),
        audit.getLong("redisStockLeft"),
        audit.getLong("reservationsInFlight"));
    audit
        .getJsonObject("ordersByStatus")
        .forEach(e -> out.printf("  %-16s %6s%n", e.getKey(), e.getValue()));
    out.printf(
        "  buyers paid %d, cancelled %d, walked away %d (their deadlines cancel them)%n",
        t.count(Kind.PAYMENT, 200), t.count(Kind.CANCEL, 200), burst.walkedAway.get());
    out.println("== invariants (SPEC §5)");
    for (Object o : audit.getJsonArray("invariants")) {
      JsonObject i = (JsonObject) o;
      out.printf(
          "  %s %-28s %s%n",
          i.getBoolean("holds") ? "✓" : "✗", i.getString("name"), i.getString("detail"));
    }
    out.println("== checker");
    out.printf(
        "  %s lost %d   %s duplicated %d   %s unexpected %d   %s contradicted %d   %s oversold %d   recovered %d%n",
        mark(checker.lost() == 0),
        checker.lost(),
        mark(checker.duplicated() == 0),
        checker.duplicated(),
        mark(checker.unexpected() == 0),
        checker.unexpected(),
        mark(checker.contradicted() == 0),
        checker.contradicted(),
        mark(checker.oversold() == 0),
        checker.oversold(),
        checker.recovered());
    checker
        .examples()
        .forEach(
            (kind, examples) -> out.printf("    e.g. %s: %s%n", kind, String.join(", ", examples)));
    boolean ok = audit.getBoolean("consistent", false) && checker.passed();
    out.println(ok ? "\nRESULT ✓ every invariant holds" : "\nRESULT ✗ an invariant failed");
  }

  private static String mark(boolean ok) {
    return ok ? "✓" : "✗";
  }
}
