package io.seckill.reliability;

import io.seckill.judge.Attempt.Kind;
import io.seckill.judge.Checker;
import io.seckill.judge.Ledger;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fault under load: a sale, buyers at both gateways, the fault injected (and healed) a few
 * seconds in, recovery measured by probes from the moment of injection, then drain, audit and
 * checker, and a row for RELIABILITY.md.
 */
final class Scenario {
  private static final Logger log = LoggerFactory.getLogger(Scenario.class);
  private static final int PROBE_STOCK = 100_000;

  /**
   * What to run; stock below the buyers so the sale sells out (and oversell is possible to detect).
   */
  record Spec(
      String fault,
      int buyers,
      double perSecond,
      int stock,
      int paymentTimeoutSeconds,
      long faultAfterMillis,
      boolean waitForDeadlines) {}

  /**
   * Injects the fault and, where it has a duration, heals it; blocking. Returns notes for the
   * table.
   */
  interface Fault {
    String inject(Pipeline p) throws Exception;
  }

  record Outcome(
      Spec spec,
      Checker.Report sale,
      Checker.Report probes,
      JsonObject audit,
      JsonObject probeAudit,
      long recoveryMillis,
      String notes,
      Ledger ledger,
      long internalErrors,
      String answers) {
    boolean consistent() {
      return audit.getBoolean("consistent", false)
          && audit.getBoolean("drained", false)
          && probeAudit.getBoolean("consistent", false)
          && probeAudit.getBoolean("drained", false);
    }

    long lost() {
      return sale.lost() + probes.lost();
    }

    long duplicated() {
      return sale.duplicated() + probes.duplicated();
    }

    long unexpected() {
      return sale.unexpected() + probes.unexpected();
    }

    long oversold() {
      return sale.oversold() + probes.oversold();
    }

    long contradicted() {
      return sale.contradicted() + probes.contradicted();
    }

    @Override
    public String toString() {
      return spec.fault()
          + ": sale "
          + sale.summary()
          + " "
          + sale.examples()
          + ", probes "
          + probes.summary()
          + " "
          + probes.examples()
          + ", recovery "
          + recoveryMillis
          + " ms, answers: "
          + answers
          + ", notes: "
          + notes
          + "\noutcomes "
          + ledger.outcomes()
          + "\naudit "
          + audit.encode()
          + "\nprobe audit "
          + probeAudit.encode();
    }
  }

  static Outcome run(Pipeline p, Spec spec, Fault fault) throws Exception {
    Shop shop = new Shop(p);
    p.heal();
    String tag =
        spec.fault()
                .replaceAll("[^a-z0-9]", "")
                .substring(0, Math.min(12, spec.fault().replaceAll("[^a-z0-9]", "").length()))
            + "-"
            + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    long saleId =
        shop.createSale("reliability " + spec.fault(), spec.stock(), spec.paymentTimeoutSeconds());
    long probeSaleId = shop.createSale("probes " + spec.fault(), PROBE_STOCK, 600);
    Ledger ledger = new Ledger();
    Probe probe = new Probe(p, probeSaleId, new Ledger(), "probe-" + tag);
    Rush rush = new Rush(p, saleId, ledger, "buyer-" + tag, true);
    log.info(
        "scenario '{}': sale {}, {} buyers at {}/s, stock {}",
        spec.fault(),
        saleId,
        spec.buyers(),
        spec.perSecond(),
        spec.stock());
    long rushStart = System.currentTimeMillis();
    // Buyers in flight at once: a second's worth, so a stalled dependency does not throttle the
    // offered rate at once.
    var rushDone =
        rush.run(spec.buyers(), spec.perSecond(), Math.max(200, (int) spec.perSecond()))
            .toCompletionStage()
            .toCompletableFuture();
    Thread.sleep(spec.faultAfterMillis());

    long injectedAt = System.currentTimeMillis();
    long t0 = System.nanoTime();
    CompletableFuture<Long> recovery =
        CompletableFuture.supplyAsync(() -> probe.measure(t0, 150_000));
    String notes;
    try {
      notes = fault.inject(p);
    } finally {
      // whatever happened, the rush must end and the pipeline come back before judging
    }
    long recoveryMillis = recovery.get(200, TimeUnit.SECONDS);
    rushDone.get(spec.buyers() / (long) spec.perSecond() + 300, TimeUnit.SECONDS);
    p.heal();
    JsonObject audit = shop.drain(saleId, spec.waitForDeadlines(), 180);
    JsonObject probeAudit = shop.drain(probeSaleId, false, 120);
    Checker.Report sale = Checker.check(ledger.snapshot(), shop.orders(saleId), spec.stock());
    Checker.Report probes =
        Checker.check(probe.ledger.snapshot(), shop.orders(probeSaleId), PROBE_STOCK);
    long launchedMillis = Math.max(1, rush.lastLaunchMillis() - rushStart);
    String answers =
        "buyers launched at "
            + Math.round(rush.started.get() * 1000.0 / launchedMillis)
            + "/s, purchases"
            + " answered at most "
            + ledger.peakAnsweredPerSecond(Kind.PURCHASE)
            + " in one second; "
            + ledger.answersByStatus(injectedAt)
            + "; probes "
            + probe.ledger.answersByStatus(injectedAt);
    Outcome o =
        new Outcome(
            spec,
            sale,
            probes,
            audit,
            probeAudit,
            recoveryMillis,
            notes,
            ledger,
            ledger.answered(500) + probe.ledger.answered(500),
            answers);
    log.info("scenario result: {}", o);
    Results.note(p, "scenarios.log", o.toString() + "\n");
    String load =
        String.format(
            "%d buyers offered at %.0f/s over 2 gateways, stock %d; pay 1/3, cancel 1/10, timeout %d s",
            spec.buyers(), spec.perSecond(), spec.stock(), spec.paymentTimeoutSeconds());
    String recoveryText =
        recoveryMillis < 0 ? "not recovered" : String.format("%.1f s", recoveryMillis / 1000.0);
    String summary =
        String.format(
            "%d admitted, %d rows (%d paid, %d cancelled by buyers), %d uncertain buyers recovered; %s",
            sale.admissions(),
            sale.rows(),
            ledger.count(Kind.PAYMENT, 200),
            ledger.count(Kind.CANCEL, 200),
            sale.recovered() + probes.recovered(),
            notes);
    Results.add(
        p,
        new Results.Row(
            spec.fault(),
            load,
            ledger.requests() + probe.ledger.requests(),
            o.lost(),
            o.duplicated(),
            o.oversold(),
            o.consistent(),
            recoveryText,
            answers,
            summary));
    return o;
  }
}
