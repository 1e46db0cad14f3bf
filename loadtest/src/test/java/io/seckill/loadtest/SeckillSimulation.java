package io.seckill.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import io.seckill.judge.Attempt;
import io.seckill.judge.Ledger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every scenario shares: the sale it drives (created in before() unless -Dsale.id names one),
 * tokens, the buyer's steps, the ledger of what each request was told, and the post-run checks.
 *
 * <p>Session attributes: "user", "token", "key" (Idempotency-Key, optional), "orderId",
 * "orderStatus".
 */
public abstract class SeckillSimulation extends Simulation {
  protected final String baseUrl = LoadConfig.baseUrl();
  protected final Jwt jwt = new Jwt(LoadConfig.jwtSecret());
  protected final AdminClient admin = new AdminClient(baseUrl, jwt);
  protected final Ledger ledger = new Ledger();

  /**
   * Makes user ids and keys unique per run, so runs against one long-lived system never collide.
   */
  protected final String runId = Long.toString(System.currentTimeMillis(), 36);

  protected final Duration pollInterval = LoadConfig.millis("poll.interval.ms", 1000);
  protected final Duration pollTimeout = LoadConfig.seconds("poll.timeout.seconds", 30);
  protected final int p99Millis;
  private final AtomicLong userSeq = new AtomicLong();
  protected volatile String saleId;
  protected volatile int paymentTimeoutSeconds;
  protected final Verdict verdict = new Verdict(() -> saleId, ledger);

  protected SeckillSimulation(int defaultP99Millis) {
    this.p99Millis = LoadConfig.integer("p99.ms", defaultP99Millis);
  }

  protected HttpProtocolBuilder protocol() {
    // One pool for all virtual users, so a buyer who is done hands its keep-alive connection to the
    // next one:
    // 100,000 buyers must not mean 100,000 sockets (fd limit 20,000). The shared pool has no upper
    // bound (Gatling's
    // maxConnectionsPerHost only limits a user's fetching of page resources): the sockets open at
    // once are the
    // requests in flight, arrival rate × response time, which stays far below the limit while the
    // gateway answers in
    // milliseconds and exhausts it when answers take seconds (see README, "Limits of the load
    // generator").
    return http.baseUrl(baseUrl)
        .acceptHeader("application/json")
        .contentTypeHeader("application/json")
        .shareConnections()
        // Gatling's own warm-up fetches a public URL (offline here, so it is off in gatling.conf);
        // warming the HTTP
        // stack on the gateway's no-op endpoint instead keeps Gatling's lazy start-up out of the
        // first buyers' latency.
        .warmUp(baseUrl + "/api/noop")
        .disableCaching()
        .userAgentHeader("seckill-loadtest");
  }

  /**
   * The sale of this run: the one given by -Dsale.id, or a new one as the scenario describes it.
   */
  protected abstract String createSale();

  @Override
  public void before() {
    String given = LoadConfig.saleId();
    if (given != null) {
      AdminClient.Reply r = admin.sale(given);
      if (r.status() != 200)
        throw new IllegalStateException("-Dsale.id=" + given + ": " + r.status() + " " + r.body());
      saleId = given;
      paymentTimeoutSeconds = r.body().path("paymentTimeoutSeconds").asInt(900);
      System.out.println("driving existing sale " + saleId + ": " + r.body());
    } else {
      saleId = createSale();
      System.out.println("created sale " + saleId + " at " + baseUrl);
    }
  }

  /**
   * The checks after the load, as a last scenario (chain it with andThen): each is a request in the
   * report, and a failed one is a KO that fails the run's assertions. An exception in after() would
   * instead abort Gatling before it writes the report.
   */
  protected ScenarioBuilder postRun() {
    return scenario("post-run checks")
        .exec(
            s -> {
              verdict.start();
              return s.set("wait", verdict.deadlineWait(paymentTimeoutSeconds).toMillis());
            })
        .pause(s -> Duration.ofMillis(s.getLong("wait")))
        .exec(s -> s.set("drained", false).set("drainUntil", verdict.drainDeadlineMillis()))
        .asLongAs(
            s -> !s.getBoolean("drained") && System.currentTimeMillis() < s.getLong("drainUntil"))
        .on(
            exec(adminGet("post-run: drain", "/audit")
                    .check(status().in(200, 404), bodyString().saveAs("body")))
                .exec(s -> s.set("drained", verdict.observeDrain(s.getString("body"))))
                .doIf(s -> !s.getBoolean("drained"))
                .then(pause(Duration.ofMillis(500))))
        .exec(
            adminGet("post-run: audit", "/audit")
                .check(
                    status().in(200, 404),
                    bodyString()
                        .transform(verdict::judgeAudit)
                        .validate("audit", SeckillSimulation::mustBeOk)))
        .exec(
            adminGet("post-run: checker", "/orders")
                .check(
                    status().in(200, 404),
                    bodyString()
                        .transform(verdict::judgeOrders)
                        .validate("checker", SeckillSimulation::mustBeOk)))
        .exec(
            http("post-run: expectations")
                .get("/api/noop")
                .check(
                    bodyString()
                        .transform(b -> verdict.judgeExpectations(expectations(verdict.attempts())))
                        .validate("expectations", SeckillSimulation::mustBeOk)))
        .exec(
            s -> {
              verdict.finish();
              return s;
            });
  }

  /**
   * Fails the check with the verdict's own words, so the report's error table says what is wrong.
   */
  private static String mustBeOk(String verdictText, Session session) {
    if (!Verdict.OK.equals(verdictText)) throw new IllegalStateException(verdictText);
    return verdictText;
  }

  private HttpRequestActionBuilder adminGet(String name, String suffix) {
    return http(name)
        .get(s -> "/admin/sales/" + saleId + suffix)
        .header("authorization", "Bearer " + admin.token());
  }

  /** Scenario-specific expectations over the ledger; empty when they hold. */
  protected List<String> expectations(List<Attempt> attempts) {
    return List.of();
  }

  protected String saleCreatedNow(String item, int stock, int perUserLimit, int paymentTimeout) {
    paymentTimeoutSeconds = paymentTimeout;
    // A second in the past: the sale must be active for the very first buyer.
    return admin.createSale(
        item + " " + runId,
        stock,
        perUserLimit,
        paymentTimeout,
        Instant.now().minusSeconds(1),
        Duration.ofHours(6));
  }

  /** Gives the session a fresh buyer: user id, a valid token, an Idempotency-Key. */
  protected ChainBuilder newBuyer(String prefix) {
    return exec(
        s -> {
          String user = prefix + "-" + runId + "-" + userSeq.incrementAndGet();
          // Long enough for a soak of hours: the gateway caches verified tokens, so their lifetime
          // costs nothing.
          return s.set("user", user).set("token", jwt.user(user, 6 * 3600)).set("key", "k-" + user);
        });
  }

  protected static String bearer(Session s) {
    return "Bearer " + s.getString("token");
  }

  protected String purchasePath(Session s) {
    return "/api/sales/"
        + (s.contains(WARM_UP_SALE) ? s.getString(WARM_UP_SALE) : saleId)
        + "/purchases";
  }

  /**
   * One purchase with the session's Idempotency-Key (or none if withKey is false), recorded in the
   * ledger. The status is saved first so that a response with an unexpected status is still
   * recorded as answered.
   */
  protected ChainBuilder purchase(String name, boolean withKey, Integer... expected) {
    HttpRequestActionBuilder req =
        http(name)
            .post(this::purchasePath)
            .header("authorization", SeckillSimulation::bearer)
            .body(StringBody("{\"quantity\":1}"))
            .check(
                status().saveAs("status"),
                status().in(expected),
                jmesPath("orderId").optional().saveAs("orderId"),
                jmesPath("type").optional().saveAs("problem"));
    if (withKey) req = req.header("idempotency-key", "#{key}");
    return exec(s -> s.remove("status").remove("orderId").remove("problem"))
        .exec(req)
        .exec(
            s -> {
              record(
                  s,
                  Attempt.purchase(
                      s.getString("user"),
                      withKey ? s.getString("key") : null,
                      answered(s),
                      Ledger.slug(s.getString("problem")),
                      s.getString("orderId")));
              return s;
            });
  }

  /**
   * Polls the order until it leaves QUEUED (a worker persisted it) or poll.timeout.seconds pass.
   */
  protected ChainBuilder awaitPersisted() {
    return awaitPersisted("order status", 200);
  }

  /**
   * As {@link #awaitPersisted()}, with the request's name and the statuses that count as answers.
   */
  protected ChainBuilder awaitPersisted(String name, Integer... expected) {
    long jitter = Math.max(1, pollInterval.toMillis() / 2);
    return exec(s ->
            s.set("orderStatus", "QUEUED")
                .set("pollUntil", System.currentTimeMillis() + pollTimeout.toMillis()))
        .asLongAs(
            s ->
                "QUEUED".equals(s.getString("orderStatus"))
                    && System.currentTimeMillis() < s.getLong("pollUntil"))
        .on(
            pause(pollInterval.minusMillis(jitter), pollInterval.plusMillis(jitter))
                .exec(
                    http(name)
                        .get(s -> "/api/orders/" + s.getString("orderId"))
                        .header("authorization", SeckillSimulation::bearer)
                        .check(
                            status().in(expected),
                            jmesPath("status").optional().saveAs("orderStatus"))));
  }

  /** Pays the session's order; records the acknowledgement for the checker. */
  protected ChainBuilder pay(String name, Integer... expected) {
    return exec(s -> s.remove("status"))
        .exec(
            http(name)
                .post(s -> "/api/orders/" + s.getString("orderId") + "/payment")
                .header("authorization", SeckillSimulation::bearer)
                .body(StringBody(s -> "{\"paymentRef\":\"pay-" + s.getString("orderId") + "\"}"))
                .check(status().saveAs("status"), status().in(expected)))
        .exec(
            s -> {
              record(
                  s,
                  new Attempt(
                      Attempt.Kind.PAYMENT,
                      s.getString("user"),
                      null,
                      answered(s),
                      null,
                      s.getString("orderId"),
                      System.currentTimeMillis()));
              return s;
            });
  }

  /** Cancels the session's order; records the acknowledgement for the checker. */
  protected ChainBuilder cancel(String name, Integer... expected) {
    return exec(s -> s.remove("status"))
        .exec(
            http(name)
                .delete(s -> "/api/orders/" + s.getString("orderId"))
                .header("authorization", SeckillSimulation::bearer)
                .check(status().saveAs("status"), status().in(expected)))
        .exec(
            s -> {
              record(
                  s,
                  new Attempt(
                      Attempt.Kind.CANCEL,
                      s.getString("user"),
                      null,
                      answered(s),
                      null,
                      s.getString("orderId"),
                      System.currentTimeMillis()));
              return s;
            });
  }

  /** Warm-up sessions drive a sale of their own, which the checks of this run do not judge. */
  private void record(Session s, Attempt attempt) {
    if (!s.contains(WARM_UP_SALE)) ledger.record(attempt);
  }

  /**
   * Session attribute of a warm-up buyer: the sale it buys from instead of the run's. A JVM that
   * has not run the hot path yet (gateway and Gatling alike) answers the first thousands of
   * requests many times slower than when compiled; a peak that opens on a cold JVM measures the JIT
   * compiler, not the system.
   */
  protected static final String WARM_UP_SALE = "warmUpSale";

  static int answered(Session s) {
    return s.contains("status") ? s.getInt("status") : Attempt.NO_ANSWER;
  }
}
