package io.seckill.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, scale-out on one machine: 2 gateways and 2 order workers as separate processes against the 3-broker cluster;
 * a rush spread over both gateways; every request answered, exactly `stock` orders, the audit consistent. Its figures
 * go to target/reliability/scale-out.md (for BENCHMARKS.md).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ScaleOutIT {
  static final Pipeline p = Pipeline.shared();
  static final Shop shop = new Shop(p);

  @Test
  void a_rush_spread_over_two_gateways_and_two_workers_sells_exactly_the_stock() throws Exception {
    int buyers = Integer.getInteger("scaleout.buyers", 10_000);
    int stock = Integer.getInteger("scaleout.stock", 1_000);
    double rate = Integer.getInteger("scaleout.rate", 1_500);
    p.heal();
    long sale = shop.createSale("scale-out rush", stock, 600);
    Ledger ledger = new Ledger(sale);
    long t0 = System.nanoTime();
    Shop.await(new Rush(p, ledger, "so-" + System.currentTimeMillis() % 100_000, false).run(buyers, rate, 400), 900);
    double rushSeconds = (System.nanoTime() - t0) / 1e9;
    JsonObject audit = shop.drain(sale, false, 300);
    double drainedSeconds = (System.nanoTime() - t0) / 1e9;
    Shop.Rows rows = shop.orders(sale);
    Checker c = Checker.check(ledger, rows.byId(), rows.duplicateRows(), stock);
    long answered = ledger.attempts.stream().filter(a -> a.kind().equals("purchase") && a.status() > 0).count();
    long unanswered = ledger.attempts.stream().filter(a -> a.kind().equals("purchase") && a.status() < 0).count();
    long[] perGateway = new long[p.http.size()];
    ledger.attempts.forEach(a -> perGateway[a.gateway()]++);
    Map<String, Long> outcomes = ledger.outcomes();
    String report = String.format("""
        | scale-out: 2 gateways + 2 order workers + delay service as processes, 3 brokers (RF 3, min ISR 2), Redis AOF, PostgreSQL | value |
        |---|---:|
        | buyers (one purchase each, spread over both gateways) | %d |
        | stock | %d |
        | offered rate | %.0f/s |
        | purchase requests | %d (gateway-0 %d, gateway-1 %d) |
        | answered / unanswered | %d / %d |
        | answered purchases per second (whole rush) | %.0f |
        | purchase latency p50 / p99 / max | %.1f / %.1f / %.1f ms |
        | admitted (202) | %d |
        | rows after drain | %d |
        | rush duration / until drained and audited | %.1f s / %.1f s |
        | lost / duplicated / oversold | %d / %d / %d |
        | audit | %s |
        | outcomes | %s |
        """, buyers, stock, rate, ledger.requests(), perGateway[0], perGateway[1], answered, unanswered, answered / rushSeconds,
        ledger.purchasePercentile(50), ledger.purchasePercentile(99), ledger.purchasePercentile(100), c.accepted(), c.rows(),
        rushSeconds, drainedSeconds, c.lost(), c.duplicated(), c.oversold(), audit.getBoolean("consistent") ? "consistent" : "INCONSISTENT",
        outcomes);
    Files.writeString(p.out.resolve("scale-out.md"), report);
    assertThat(unanswered).as(report).isZero();
    assertThat(c.accepted()).as(report).isEqualTo(stock);
    assertThat(c.clean()).as(report).isTrue();
    assertThat(audit.getBoolean("consistent")).as(report).isTrue();
  }
}
