package io.seckill.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import io.seckill.judge.Attempt;
import io.seckill.judge.Ledger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * What a hostile or clumsy client sends (docs/SPEC.md §4): one user buying many times, replayed and
 * shared idempotency keys, a replay after the sale sold out, forged, expired and malformed tokens,
 * malformed and oversized bodies, unknown sales and orders, a sale that has not started. Every
 * answer must be the documented 4xx problem (checked as OK), nothing may change state (the checker
 * finds no order that was not answered 202), and the gateway must keep serving.
 *
 * <p>-Dusers (20 clients running the whole sequence at once) -Dp99.ms (3000)
 * -Dabuse.replayAfterSoldOut (true)
 */
public class AbuseSimulation extends SeckillSimulation {
  private static final String PROBLEM = "application/problem+json";
  private final int clients = LoadConfig.integer("users", 20);
  private final Jwt forger = new Jwt("not-the-secret");
  private volatile String upcomingSaleId;
  // The gateway's per-user bucket (SECKILL_USER_BURST, SECKILL_USER_RATE_PER_SECOND).
  private final int userBurst = LoadConfig.integer("abuse.userBurst", 10);
  private final double userRate = LoadConfig.integer("abuse.userRate", 5);
  private final boolean replayAfterSoldOut = LoadConfig.flag("abuse.replayAfterSoldOut", true);
  // One sale of one unit per client, so each client sells its own sale out regardless of the
  // others' timing.
  private final ConcurrentLinkedQueue<String> tinySales = new ConcurrentLinkedQueue<>();

  public AbuseSimulation() {
    super(3000);
    ScenarioBuilder abuse =
        scenario("abuse")
            .exec(replays())
            .doIf(s -> replayAfterSoldOut)
            .then(replayAfterSoldOut())
            .exec(greedy())
            .exec(badTokens())
            .exec(badBodies())
            .exec(unknownThings())
            .exec(http("still serving").get("/health/ready").check(status().is(200)));

    setUp(abuse.injectOpen(atOnceUsers(clients)).andThen(postRun().injectOpen(atOnceUsers(1))))
        .protocols(protocol())
        .assertions(
            global().failedRequests().count().is(0L),
            global().responseTime().percentile(99.0).lt(p99Millis));
  }

  @Override
  protected String createSale() {
    return saleCreatedNow("abuse", 1_000_000, 1, 900);
  }

  @Override
  public void before() {
    super.before();
    upcomingSaleId =
        admin.createSale(
            "not yet " + runId,
            10,
            1,
            900,
            Instant.now().plus(Duration.ofHours(1)),
            Duration.ofHours(1));
    if (replayAfterSoldOut) {
      for (int i = 0; i < clients; i++) {
        tinySales.add(
            admin.createSale(
                "one unit " + runId,
                1,
                1,
                900,
                Instant.now().minusSeconds(1),
                Duration.ofHours(6)));
      }
    }
  }

  /**
   * docs/SPEC.md §3: "a retry with the same key returns the same body" — also once the sale has
   * sold out in the meantime (the buyer's first answer was lost; the retry must not tell them they
   * have nothing). Runs on a one-unit sale of its own, not recorded in the ledger (the checker
   * judges the main sale only).
   */
  private ChainBuilder replayAfterSoldOut() {
    return exec(s -> s.set("tinySale", tinySales.poll()))
        .exec(newBuyer("early-bird"))
        .exec(
            http("sold out: first buyer")
                .post(s -> "/api/sales/" + s.getString("tinySale") + "/purchases")
                .header("authorization", SeckillSimulation::bearer)
                .header("idempotency-key", "#{key}")
                .body(StringBody("{}"))
                .check(status().is(202), jmesPath("orderId").saveAs("earlyOrderId")))
        .exec(s -> s.set("earlyToken", s.getString("token")).set("earlyKey", s.getString("key")))
        .exec(newBuyer("too-late"))
        .exec(
            problem(
                http("sold out: second buyer")
                    .post(s -> "/api/sales/" + s.getString("tinySale") + "/purchases")
                    .header("authorization", SeckillSimulation::bearer)
                    .body(StringBody("{}")),
                409,
                "sold-out"))
        .exec(
            http("sold out: first buyer retries the same key")
                .post(s -> "/api/sales/" + s.getString("tinySale") + "/purchases")
                .header("authorization", s -> "Bearer " + s.getString("earlyToken"))
                .header("idempotency-key", "#{earlyKey}")
                .body(StringBody("{}"))
                .check(status().is(202), jmesPath("orderId").isEL("#{earlyOrderId}")));
  }

  /** The same key again returns the same order; the same key from another user is another order. */
  private ChainBuilder replays() {
    return exec(newBuyer("replayer"))
        .exec(purchase("replay: first", true, 202))
        .exec(
            s -> s.set("firstOrderId", s.getString("orderId")).set("sharedKey", s.getString("key")))
        .repeat(5)
        .on(purchase("replay: same key", true, 202))
        .exec(newBuyer("key-sharer"))
        .exec(s -> s.set("key", s.getString("sharedKey")))
        .exec(purchase("replay: same key, other user", true, 202));
  }

  /**
   * One user hammering: one order, then limit-reached, and no more through the rate limit than its
   * bucket allows.
   */
  private ChainBuilder greedy() {
    return exec(newBuyer("greedy"))
        .repeat(25, "i")
        .on(
            exec(s -> s.set("key", "greedy-" + s.getString("user") + "-" + s.getInt("i")))
                .exec(purchase("greedy: buy again", true, 202, 409, 429)));
  }

  private ChainBuilder badTokens() {
    long now = Instant.now().getEpochSecond();
    return exec(newBuyer("intruder"))
        .exec(attempt("token: none", null, "{}", 401, "unauthorized"))
        .exec(attempt("token: garbage", s -> "Bearer not.a.jwt", "{}", 401, "unauthorized"))
        .exec(
            attempt(
                "token: forged",
                s -> "Bearer " + forger.user(s.getString("user"), 3600),
                "{}",
                401,
                "unauthorized"))
        .exec(
            attempt(
                "token: expired",
                s ->
                    "Bearer "
                        + jwt.sign(
                            "{\"sub\":\""
                                + s.getString("user")
                                + "\",\"exp\":"
                                + (Instant.now().getEpochSecond() - 60)
                                + "}"),
                "{}",
                401,
                "unauthorized"))
        .exec(
            attempt(
                "token: no exp",
                s -> "Bearer " + jwt.sign("{\"sub\":\"" + s.getString("user") + "\"}"),
                "{}",
                401,
                "unauthorized"))
        .exec(
            attempt(
                "token: no sub",
                s -> "Bearer " + jwt.sign("{\"exp\":" + (now + 3600) + "}"),
                "{}",
                401,
                "unauthorized"))
        .exec(
            attempt(
                "token: alg none",
                s -> "Bearer " + unsigned(s.getString("user")),
                "{}",
                401,
                "unauthorized"))
        .exec(attempt("token: basic", s -> "Basic dXNlcjpwYXNz", "{}", 401, "unauthorized"))
        .exec(
            problem(
                http("token: user on admin")
                    .post("/admin/sales")
                    .header("authorization", SeckillSimulation::bearer)
                    .body(StringBody("{}")),
                403,
                "unauthorized"))
        .exec(
            problem(
                http("token: user on audit")
                    .get(s -> "/admin/sales/" + saleId + "/audit")
                    .header("authorization", SeckillSimulation::bearer),
                403,
                "unauthorized"));
  }

  private ChainBuilder badBodies() {
    return exec(newBuyer("clumsy"))
        .exec(attempt("body: not json", SeckillSimulation::bearer, "{", 400, "invalid-request"))
        .exec(attempt("body: array", SeckillSimulation::bearer, "[]", 400, "invalid-request"))
        .exec(
            attempt(
                "body: string quantity",
                SeckillSimulation::bearer,
                "{\"quantity\":\"1\"}",
                400,
                "invalid-request"))
        .exec(
            attempt(
                "body: zero",
                SeckillSimulation::bearer,
                "{\"quantity\":0}",
                400,
                "invalid-request"))
        .exec(
            attempt(
                "body: negative",
                SeckillSimulation::bearer,
                "{\"quantity\":-5}",
                400,
                "invalid-request"))
        .exec(
            attempt(
                "body: fraction",
                SeckillSimulation::bearer,
                "{\"quantity\":1.5}",
                400,
                "invalid-request"))
        .exec(
            attempt(
                "body: huge",
                SeckillSimulation::bearer,
                "{\"quantity\":100000000000000000000000}",
                400,
                "invalid-request"))
        .exec(
            attempt(
                "body: over max",
                SeckillSimulation::bearer,
                "{\"quantity\":101}",
                400,
                "invalid-request"))
        .exec(
            attempt(
                "body: unknown field",
                SeckillSimulation::bearer,
                "{\"qty\":1}",
                400,
                "invalid-request"))
        .exec(
            attempt(
                "body: over the user limit",
                SeckillSimulation::bearer,
                "{\"quantity\":2}",
                409,
                "limit-reached"))
        .exec(
            problem(
                purchaseRequest("key: bad characters", SeckillSimulation::bearer, "{}")
                    .header("idempotency-key", "has spaces!"),
                400,
                "invalid-request"))
        .exec(
            problem(
                purchaseRequest("key: too long", SeckillSimulation::bearer, "{}")
                    .header("idempotency-key", "k".repeat(65)),
                400,
                "invalid-request"))
        .exec(
            problem(
                purchaseRequest(
                    "body: oversized",
                    SeckillSimulation::bearer,
                    "{\"quantity\":1,\"pad\":\"" + "x".repeat(64 * 1024) + "\"}"),
                413,
                "invalid-request"))
        .exec(
            problem(
                http("sale: ends before it starts")
                    .post("/admin/sales")
                    .header("authorization", "Bearer " + admin.token())
                    .body(
                        StringBody(
                            "{\"item\":\"x\",\"stock\":1,\"priceCents\":1,\"startsAt\":\"2030-01-02T00:00:00Z\","
                                + "\"endsAt\":\"2030-01-01T00:00:00Z\"}")),
                400,
                "invalid-request"));
  }

  private ChainBuilder unknownThings() {
    return exec(newBuyer("lost"))
        .exec(
            problem(
                http("unknown sale")
                    .post("/api/sales/999999999999999/purchases")
                    .header("authorization", SeckillSimulation::bearer)
                    .body(StringBody("{}")),
                404,
                "sale-not-found"))
        .exec(
            problem(
                http("sale id not a number")
                    .post("/api/sales/abc/purchases")
                    .header("authorization", SeckillSimulation::bearer)
                    .body(StringBody("{}")),
                404,
                "sale-not-found"))
        .exec(
            problem(
                http("sale not started")
                    .post(s -> "/api/sales/" + upcomingSaleId + "/purchases")
                    .header("authorization", SeckillSimulation::bearer)
                    .body(StringBody("{}")),
                409,
                "sale-not-active"))
        .exec(
            problem(
                http("unknown order")
                    .get("/api/orders/1")
                    .header("authorization", SeckillSimulation::bearer),
                404,
                "order-not-found"))
        // Another user's order must look exactly like an order that does not exist.
        .exec(
            problem(
                http("someone else's order")
                    .get(s -> "/api/orders/" + s.getString("firstOrderId"))
                    .header("authorization", SeckillSimulation::bearer),
                404,
                "order-not-found"))
        .exec(
            problem(
                http("pay someone else's order")
                    .post(s -> "/api/orders/" + s.getString("firstOrderId") + "/payment")
                    .header("authorization", SeckillSimulation::bearer)
                    .body(StringBody("{\"paymentRef\":\"thief\"}")),
                404,
                "order-not-found"))
        .exec(
            problem(
                http("cancel someone else's order")
                    .delete(s -> "/api/orders/" + s.getString("firstOrderId"))
                    .header("authorization", SeckillSimulation::bearer),
                404,
                "order-not-found"));
  }

  /**
   * A purchase on this run's sale that must be refused; recorded, so a refusal that still made an
   * order is caught. A null authorization sends no Authorization header at all.
   */
  private ChainBuilder attempt(
      String name, Function<Session, String> authorization, String body, int status, String slug) {
    return exec(s -> s.remove("status").remove("orderId").remove("problem"))
        .exec(
            problem(purchaseRequest(name, authorization, body), status, slug)
                .check(status().saveAs("status"), jmesPath("type").optional().saveAs("problem")))
        .exec(
            s -> {
              ledger.record(
                  Attempt.purchase(
                      s.getString("user"),
                      null,
                      answered(s),
                      Ledger.slug(s.getString("problem")),
                      null));
              return s;
            });
  }

  private HttpRequestActionBuilder purchaseRequest(
      String name, Function<Session, String> authorization, String body) {
    HttpRequestActionBuilder req = http(name).post(this::purchasePath).body(StringBody(body));
    return authorization == null ? req : req.header("authorization", authorization::apply);
  }

  private static HttpRequestActionBuilder problem(
      HttpRequestActionBuilder req, int status, String slug) {
    return req.check(
        status().is(status),
        header("content-type").is(PROBLEM),
        jmesPath("type").transform(Ledger::slug).is(slug));
  }

  private static String unsigned(String user) {
    var b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes())
        + "."
        + b64.encodeToString(("{\"sub\":\"" + user + "\",\"exp\":9999999999}").getBytes())
        + ".";
  }

  @Override
  protected List<String> expectations(List<Attempt> attempts) {
    List<String> broken = new ArrayList<>();
    for (String prefix : List.of("greedy-", "replayer-", "key-sharer-")) {
      // Per client: the sequences of all clients run at once, each with its own users.
      for (String user : users(attempts, prefix)) {
        List<Attempt> mine = attempts.stream().filter(a -> a.userId().equals(user)).toList();
        long accepted = mine.stream().filter(a -> a.outcome() == Attempt.Outcome.ACCEPTED).count();
        Set<String> orders = new HashSet<>();
        mine.stream().filter(a -> a.orderId() != null).forEach(a -> orders.add(a.orderId()));
        switch (prefix) {
          case "greedy-" -> {
            if (accepted != 1) broken.add(user + " was admitted " + accepted + " times (limit 1)");
            if (mine.stream().noneMatch(a -> "limit-reached".equals(a.problem())))
              broken.add(user + " never heard limit-reached");
            // A token bucket lets through at most burst + rate × elapsed; how many requests that is
            // depends on how
            // fast this machine sent them, so the bound is checked, not a count of 429s.
            long first = mine.stream().mapToLong(Attempt::atMillis).min().orElse(0);
            long last = mine.stream().mapToLong(Attempt::atMillis).max().orElse(0);
            long passed = mine.stream().filter(a -> !"rate-limited".equals(a.problem())).count();
            double allowed = userBurst + userRate * (last - first) / 1000.0 + 1;
            if (passed > allowed) {
              broken.add(
                  user
                      + ": "
                      + passed
                      + " requests got past the rate limit in "
                      + (last - first)
                      + " ms (bucket "
                      + userBurst
                      + " + "
                      + userRate
                      + "/s allows "
                      + (long) allowed
                      + ")");
            }
          }
          case "replayer-" -> {
            if (accepted != 6 || orders.size() != 1) {
              broken.add(
                  user
                      + ": 6 requests with one key gave "
                      + accepted
                      + " × 202 and order ids "
                      + orders);
            }
          }
          default -> {
            if (accepted != 1)
              broken.add(user + " (another user's key) was admitted " + accepted + " times");
          }
        }
      }
    }
    return broken;
  }

  private static Set<String> users(List<Attempt> attempts, String prefix) {
    Set<String> users = new HashSet<>();
    attempts.forEach(
        a -> {
          if (a.userId() != null && a.userId().startsWith(prefix)) users.add(a.userId());
        });
    return users;
  }
}
