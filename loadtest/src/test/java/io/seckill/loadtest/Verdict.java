package io.seckill.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.seckill.judge.Attempt;
import io.seckill.judge.Checker;
import io.seckill.judge.Ledger;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The post-run checks of one run: wait for due payment deadlines, wait for the pipeline to drain,
 * judge the audit, run the checker against the order list, and remember what failed. The simulation
 * drives these steps from a last scenario (see {@link SeckillSimulation#postRun()}), so that each
 * check is a request in the Gatling report and a failed check fails the run's assertions like any
 * other KO.
 */
public final class Verdict {
  public static final String OK = "ok";

  /**
   * The outcome of the post-run checks; {@code skipped} lists checks that could not run (endpoint
   * missing).
   */
  public record Result(
      String saleId,
      JsonNode audit,
      Checker.Report report,
      List<String> failures,
      List<String> skipped) {
    public boolean passed() {
      return failures.isEmpty();
    }
  }

  // The smoke test runs Gatling inside its JVM and reads the details from here.
  private static final AtomicReference<Result> LAST = new AtomicReference<>();

  public static Result last() {
    return LAST.get();
  }

  public static void clear() {
    LAST.set(null);
  }

  private final Supplier<String> saleId;
  private final Ledger ledger;
  private final Duration drainTimeout = LoadConfig.seconds("drain.timeout.seconds", 120);
  private final boolean allowMissing = LoadConfig.flag("checks.allowMissingEndpoints", false);
  private final List<String> failures = new ArrayList<>();
  private final List<String> skipped = new ArrayList<>();
  private volatile List<Attempt> attempts = List.of();
  private volatile JsonNode audit;
  private volatile boolean auditMissing;
  private volatile boolean drained;
  private volatile long drainStartNanos;
  private volatile Checker.Report report;

  public Verdict(Supplier<String> saleId, Ledger ledger) {
    this.saleId = saleId;
    this.ledger = ledger;
  }

  /** The load is over: freeze the ledger and show the run from the client's side. */
  public synchronized void start() {
    attempts = ledger.snapshot();
    System.out.println();
    System.out.println("==== Seckill post-run checks, sale " + saleId.get() + " ====");
    System.out.print(Timeline.of(attempts).render());
    drainStartNanos = System.nanoTime();
  }

  /**
   * How long to wait before auditing so that every payment deadline of the run has fired (plus the
   * 2 s the delay service is allowed); zero for timeouts too long to wait for in a load run.
   */
  public Duration deadlineWait(int paymentTimeoutSeconds) {
    if (paymentTimeoutSeconds <= 0 || paymentTimeoutSeconds > 120) return Duration.ZERO;
    long lastAccepted =
        attempts.stream()
            .filter(
                a -> a.kind() == Attempt.Kind.PURCHASE && a.outcome() != Attempt.Outcome.REFUSED)
            .mapToLong(Attempt::atMillis)
            .max()
            .orElse(0);
    if (lastAccepted == 0) return Duration.ZERO;
    Instant due = Instant.ofEpochMilli(lastAccepted).plusSeconds(paymentTimeoutSeconds + 3);
    Duration wait = Duration.between(Instant.now(), due);
    if (wait.isNegative()) return Duration.ZERO;
    System.out.printf(
        "waiting %.1f s for the last payment deadlines to fire%n", wait.toMillis() / 1000.0);
    return wait;
  }

  public long drainDeadlineMillis() {
    return System.currentTimeMillis() + drainTimeout.toMillis();
  }

  /**
   * One poll of the audit while draining; true once drained (or once it is clear there is no audit
   * to wait for).
   */
  public boolean observeDrain(String body) {
    JsonNode json = parse(body);
    if (json == null) return false;
    if (routeMissing(json)) {
      auditMissing = true;
      return true;
    }
    if (json.has("problem") || !json.has("consistent")) return false;
    audit = json;
    if (isDrained(json)) {
      drained = true;
      System.out.printf(
          "pipeline drained %.1f s after the load ended%n",
          (System.nanoTime() - drainStartNanos) / 1e9);
    }
    return drained;
  }

  /** The audit, once drained: "ok", or what is wrong. */
  public synchronized String judgeAudit(String body) {
    JsonNode json = parse(body);
    if (json == null) return fail("the audit did not answer JSON: " + abbreviate(body));
    if (routeMissing(json) || auditMissing)
      return missing("audit (GET /admin/sales/{id}/audit is not served)");
    if (!json.has("consistent")) return fail("the audit answered " + abbreviate(body));
    audit = json;
    System.out.println("audit: " + json.toPrettyString());
    List<String> problems = new ArrayList<>();
    if (!drained && !isDrained(json)) {
      problems.add(
          "the pipeline did not drain within "
              + drainTimeout.toSeconds()
              + " s ("
              + json.path("queuedUnits").asText("?")
              + " units still QUEUED)");
    }
    if (!json.path("consistent").asBoolean(false)) {
      StringBuilder broken = new StringBuilder("consistent=false");
      for (JsonNode inv : json.path("invariants")) {
        if (!inv.path("holds").asBoolean(true)) {
          broken
              .append("; ")
              .append(inv.path("name").asText())
              .append(": ")
              .append(inv.path("detail").asText());
        }
      }
      problems.add(broken.toString());
    }
    return problems.isEmpty() ? OK : fail("audit: " + String.join("; ", problems));
  }

  /** The checker over the order list: "ok", or the counts that are not zero. */
  public synchronized String judgeOrders(String body) {
    JsonNode json = parse(body);
    if (json == null) return fail("the order list did not answer JSON: " + abbreviate(body));
    if (routeMissing(json)) return missing("checker (GET /admin/sales/{id}/orders is not served)");
    if (!json.has("orders")) return fail("the order list answered " + abbreviate(body));
    // The audit (judged just before) names the sale's stock, so the checker can count oversold
    // units too.
    long stock =
        audit == null
            ? Checker.STOCK_UNKNOWN
            : audit.path("initialStock").asLong(Checker.STOCK_UNKNOWN);
    report = Checker.check(attempts, AdminClient.rows(json), stock);
    System.out.print(report.render());
    if (report.passed()) return OK;
    return fail("checker: " + report.summary());
  }

  /** Scenario-specific expectations over the ledger (empty list: they hold). */
  public synchronized String judgeExpectations(List<String> broken) {
    if (broken.isEmpty()) return OK;
    return fail("expectations: " + String.join("; ", broken));
  }

  public List<Attempt> attempts() {
    return attempts;
  }

  /** Prints the summary and publishes the result. */
  public synchronized Result finish() {
    skipped.forEach(s -> System.out.println("SKIPPED " + s));
    failures.forEach(f -> System.out.println("FAILED  " + f));
    System.out.println(
        failures.isEmpty()
            ? "==== post-run checks PASSED ===="
            : "==== post-run checks FAILED ====");
    Result result =
        new Result(saleId.get(), audit, report, List.copyOf(failures), List.copyOf(skipped));
    LAST.set(result);
    return result;
  }

  /** The audit says so itself ("drained"); fall back to its counters for an older gateway. */
  static boolean isDrained(JsonNode audit) {
    if (audit.has("drained")) return audit.get("drained").asBoolean();
    return audit.path("queuedUnits").asLong(0) == 0
        && audit.path("reservationsInFlight").asLong(0) == 0;
  }

  /** The router's own 404 (type …/not-found): the endpoint does not exist on this gateway. */
  static boolean routeMissing(JsonNode json) {
    return json.path("status").asInt() == 404
        && "not-found".equals(Ledger.slug(json.path("type").asText(null)));
  }

  private String missing(String what) {
    if (allowMissing) {
      skipped.add(what + " — tolerated by -Dchecks.allowMissingEndpoints=true");
      return OK;
    }
    return fail(what);
  }

  private String fail(String why) {
    failures.add(why);
    return "FAIL " + why;
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) return null;
    try {
      return AdminClient.JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  private static String abbreviate(String s) {
    if (s == null) return "nothing";
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }
}
