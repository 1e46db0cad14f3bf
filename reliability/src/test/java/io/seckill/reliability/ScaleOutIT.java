package io.seckill.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.judge.Attempt;
import io.seckill.judge.Attempt.Kind;
import io.seckill.judge.Checker;
import io.seckill.judge.Ledger;
import io.seckill.platform.testing.Await;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, scale-out on one machine: 2 gateways and 2 order workers as separate processes against
 * the 3-broker cluster; a rush spread over both gateways; every request answered, exactly `stock`
 * orders, the audit consistent. Its figures go to target/reliability/scale-out.md (for
 * BENCHMARKS.md).
 */
class ScaleOutIT {
  static final Pipeline p = Pipeline.shared();
  static final Shop shop = new Shop(p);

  @Test
  void aRushSpreadOverTwoGatewaysAndTwoWorkersSellsExactlyTheStock() throws Exception {
    int buyers = Integer.getInteger("scaleout.buyers", 10_000);
    int stock = Integer.getInteger("scaleout.stock", 1_000);
    double rate = Integer.getInteger("scaleout.rate", 1_500);
    p.heal();
    long sale = shop.createSale("scale-out rush", stock, 600);
    Ledger ledger = new Ledger();
    long t0 = System.nanoTime();
    Await.await(
        new Rush(p, sale, ledger, "so-" + System.currentTimeMillis() % 100_000, false)
            .run(buyers, rate, 400),
        900);
    double rushSeconds = (System.nanoTime() - t0) / 1e9;
    JsonObject audit = shop.drain(sale, false, 300);
    double drainedSeconds = (System.nanoTime() - t0) / 1e9;
    Checker.Report c = Checker.check(ledger.snapshot(), shop.orders(sale), stock);
    List<Attempt> attempts = ledger.snapshot();
    long answered =
        attempts.stream().filter(a -> a.kind() == Kind.PURCHASE && a.answered()).count();
    long unanswered =
        attempts.stream().filter(a -> a.kind() == Kind.PURCHASE && !a.answered()).count();
    long[] perGateway = new long[p.http.size()];
    attempts.forEach(a -> perGateway[a.gateway()]++);
    Map<String, Long> outcomes = ledger.outcomes();
    String report =
        String.format(
            """
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
        """,
            buyers,
            stock,
            rate,
            ledger.requests(),
            perGateway[0],
            perGateway[1],
            answered,
            unanswered,
            answered / rushSeconds,
            ledger.percentileMillis(Kind.PURCHASE, 50),
            ledger.percentileMillis(Kind.PURCHASE, 99),
            ledger.percentileMillis(Kind.PURCHASE, 100),
            c.admissions(),
            c.rows(),
            rushSeconds,
            drainedSeconds,
            c.lost(),
            c.duplicated(),
            c.oversold(),
            audit.getBoolean("consistent") ? "consistent" : "INCONSISTENT",
            outcomes);
    Files.writeString(p.out.resolve("scale-out.md"), report);
    assertThat(unanswered).as(report).isZero();
    assertThat(c.admissions()).as(report).isEqualTo(stock);
    assertThat(c.passed()).as(report + c.render()).isTrue();
    assertThat(audit.getBoolean("consistent")).as(report).isTrue();
  }
}
