package io.seckill.loadtest;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The flash sale of docs/SPEC.md §6: a peak of N buyers (open model, ramped over a few seconds) for
 * M units. Every buyer buys once with an Idempotency-Key; an accepted buyer polls the order until
 * it is persisted, then pays (pay.fraction) or walks away.
 *
 * <p>Before the peak, a warm-up drives a small sale of its own the same way (warmup.users over
 * warmup.seconds), so the peak meets compiled code in the gateway and in Gatling, as a sale opening
 * on a running system does. The checks judge the peak's sale only.
 *
 * <p>-Dusers (100000) -Dstock (10000) -Dramp.seconds (30) -Dpay.fraction (0.5) -Dp99.ms (5000)
 * -Dwarmup.users (10000, 0 = none) -Dwarmup.seconds (20)
 */
public class RushSimulation extends SeckillSimulation {
  private final int users = LoadConfig.integer("users", 100_000);
  private final int stock = LoadConfig.integer("stock", 10_000);

  /**
   * 30 s (3,333 new buyers a second) is what this 2-core machine sustains with Gatling, the
   * gateway, Kafka, Redis, PostgreSQL and the workers all on it: at 15 s and 20 s every answer is
   * still correct, but Gatling runs out of file descriptors before all buyers are sent
   * (BENCHMARKS.md). On separate machines, pass --ramp.seconds 5.
   */
  private final Duration ramp = LoadConfig.seconds("ramp.seconds", 30);

  private final double payFraction = LoadConfig.fraction("pay.fraction", 0.5);
  private final int warmUpUsers = LoadConfig.integer("warmup.users", 10_000);
  private final Duration warmUp = LoadConfig.seconds("warmup.seconds", 20);

  /** Lets the warm-up's last orders and the compiler settle before the peak. */
  private static final Duration QUIET_BEFORE_PEAK = Duration.ofSeconds(5);

  private volatile String warmUpSaleId;

  public RushSimulation() {
    super(5000);
    ScenarioBuilder buyers = scenario("rush").exec(newBuyer("rush")).exec(buyer());
    PopulationBuilder peak =
        buyers
            .injectOpen(rampUsers(users).during(ramp))
            .andThen(postRun().injectOpen(atOnceUsers(1)));
    if (warmUpUsers > 0) {
      ScenarioBuilder warm =
          scenario("warm-up")
              .exec(s -> s.set(WARM_UP_SALE, warmUpSaleId))
              .exec(newBuyer("warm"))
              .exec(warmUpBuyer());
      // Rising gently: a cold JVM is slow, and a burst on it would leave the pool full of
      // connections before the peak.
      peak =
          warm.injectOpen(
                  rampUsersPerSec(1).to(2.0 * warmUpUsers / warmUp.toSeconds()).during(warmUp))
              .andThen(
                  buyers
                      .injectOpen(nothingFor(QUIET_BEFORE_PEAK), rampUsers(users).during(ramp))
                      .andThen(postRun().injectOpen(atOnceUsers(1))));
    }
    setUp(peak)
        .protocols(protocol())
        .assertions(
            global().failedRequests().count().is(0L),
            // The purchase is the peak's latency: the warm-up's and the post-run checks' requests
            // have names of their own.
            details("purchase").responseTime().percentile(99.0).lt(p99Millis));
  }

  /**
   * One buyer: buys once; if accepted, polls the order until it is persisted, then pays or walks
   * away.
   */
  private ChainBuilder buyer() {
    // 429 is the gateway shedding load (in-flight or connection cap) and 409 the sale saying no:
    // both are answers.
    return exec(purchase("purchase", true, 202, 409, 429))
        .doIf(s -> s.getString("orderId") != null)
        .then(
            // A poll answered 429 (the gateway shedding load) is an answer too: the buyer polls
            // again.
            exec(awaitPersisted("order status", 200, 429))
                .doIf(
                    s ->
                        "PENDING_PAYMENT".equals(s.getString("orderStatus"))
                            && ThreadLocalRandom.current().nextDouble() < payFraction)
                .then(pay("pay", 200, 429)));
  }

  /**
   * The same steps on the warm-up sale. Its answers are not judged (any status passes; only a
   * request that got no answer at all fails), so a cold start shows in the report without deciding
   * the verdict on the peak.
   */
  private ChainBuilder warmUpBuyer() {
    Integer[] any = {200, 202, 409, 429, 503};
    return exec(purchase("warm-up purchase", true, any))
        .doIf(s -> s.getString("orderId") != null)
        .then(
            exec(awaitPersisted("warm-up order status", any))
                .doIf(s -> "PENDING_PAYMENT".equals(s.getString("orderStatus")))
                .then(pay("warm-up pay", any)));
  }

  @Override
  public void before() {
    super.before();
    if (warmUpUsers > 0) {
      // A tenth of the warm-up buyers get a unit: both the admission and the sold-out paths get
      // compiled.
      warmUpSaleId =
          admin.createSale(
              "warm-up " + runId,
              Math.max(1, warmUpUsers / 10),
              1,
              900,
              Instant.now().minusSeconds(1),
              Duration.ofHours(1));
      System.out.println(
          "warm-up sale "
              + warmUpSaleId
              + ": "
              + warmUpUsers
              + " buyers over "
              + warmUp.toSeconds()
              + " s");
    }
  }

  @Override
  protected String createSale() {
    return saleCreatedNow("rush", stock, 1, LoadConfig.integer("payment.timeout.seconds", 900));
  }
}
