package io.seckill.loadtest;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The flash sale of SPEC §6: a peak of N buyers (open model, ramped over a few seconds) for M units. Every buyer buys
 * once with an Idempotency-Key; an accepted buyer polls the order until it is persisted, then pays (pay.fraction) or
 * walks away.
 *
 * <p>-Dusers (100000) -Dstock (10000) -Dramp.seconds (15) -Dpay.fraction (0.5) -Dp99.ms (3000)
 */
public class RushSimulation extends SeckillSimulation {
  private final int users = LoadConfig.integer("users", 100_000);
  private final int stock = LoadConfig.integer("stock", 10_000);
  private final Duration ramp = LoadConfig.seconds("ramp.seconds", 15);
  private final double payFraction = LoadConfig.fraction("pay.fraction", 0.5);

  public RushSimulation() {
    super(3000);
    ScenarioBuilder buyers = scenario("rush")
        .exec(newBuyer("rush"))
        // 429 is the gateway shedding load (in-flight cap) and 409 the sale saying no: both are answers.
        .exec(purchase("purchase", true, 202, 409, 429))
        .doIf(s -> s.getString("orderId") != null).then(
            exec(awaitPersisted())
                .doIf(s -> "PENDING_PAYMENT".equals(s.getString("orderStatus"))
                    && ThreadLocalRandom.current().nextDouble() < payFraction)
                .then(pay("pay", 200)));

    setUp(buyers.injectOpen(rampUsers(users).during(ramp)).andThen(postRun().injectOpen(atOnceUsers(1))))
        .protocols(protocol())
        .assertions(
            global().failedRequests().count().is(0L),
            global().responseTime().percentile(99.0).lt(p99Millis));
  }

  @Override
  protected String createSale() {
    return saleCreatedNow("rush", stock, 1, LoadConfig.integer("payment.timeout.seconds", 900));
  }
}
