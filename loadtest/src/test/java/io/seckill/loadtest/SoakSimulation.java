package io.seckill.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.onCase;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.seckill.judge.Ledger;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A steady stream of buyers for minutes on a sale with a short payment timeout, so that payments,
 * cancellations and deadline cancellations (with their stock returns) all run at once for a long
 * time. Each accepted buyer, once the order is persisted: pays at once (40%), cancels (10%), tries
 * to pay after the deadline and must be refused (10%), or walks away and lets the deadline cancel
 * it (40%).
 *
 * <p>-Drate (50 buyers/s) -Dduration.seconds (180) -Dstock (rate × duration / 2)
 * -Dpayment.timeout.seconds (5) -Dp99.ms (2000)
 */
public class SoakSimulation extends SeckillSimulation {
  private final int rate = LoadConfig.integer("rate", 50);
  private final Duration duration = LoadConfig.seconds("duration.seconds", 180);
  private final int stock =
      LoadConfig.integer("stock", (int) Math.max(1, rate * duration.toSeconds() / 2));
  private final int paymentTimeout = LoadConfig.integer("payment.timeout.seconds", 5);

  public SoakSimulation() {
    super(2000);
    ScenarioBuilder buyers =
        scenario("soak")
            .exec(newBuyer("soak"))
            // Stock comes back as deadlines fire, so sold-out comes and goes during the run.
            .exec(purchase("purchase", true, 202, 409, 429))
            .doIf(s -> s.getString("orderId") != null)
            .then(
                exec(awaitPersisted())
                    .doIf(s -> "PENDING_PAYMENT".equals(s.getString("orderStatus")))
                    .then(
                        exec(s -> s.set("fate", ThreadLocalRandom.current().nextInt(100)))
                            .doSwitch(s -> fate(s.getInt("fate")))
                            .on(
                                onCase("pay").then(pay("pay", 200)),
                                onCase("cancel").then(cancel("cancel", 200)),
                                onCase("late")
                                    .then(
                                        // The deadline is absolute, so a payment after it is
                                        // refused even if the delay
                                        // service has not cancelled the order yet.
                                        pause(Duration.ofSeconds(paymentTimeout + 1))
                                            .exec(payLate())))));

    setUp(
            buyers
                .injectOpen(constantUsersPerSec(rate).during(duration))
                .andThen(postRun().injectOpen(atOnceUsers(1))))
        .protocols(protocol())
        .assertions(
            global().failedRequests().count().is(0L),
            global().responseTime().percentile(99.0).lt(p99Millis));
  }

  private static String fate(int roll) {
    if (roll < 40) return "pay";
    if (roll < 50) return "cancel";
    if (roll < 60) return "late";
    return "walk away";
  }

  private ChainBuilder payLate() {
    return exec(
        http("pay after the deadline")
            .post(s -> "/api/orders/" + s.getString("orderId") + "/payment")
            .header("authorization", SeckillSimulation::bearer)
            .body(StringBody(s -> "{\"paymentRef\":\"late-" + s.getString("orderId") + "\"}"))
            .check(
                status().is(409),
                jmesPath("type").transform(Ledger::slug).is("order-not-payable")));
  }

  @Override
  protected String createSale() {
    return saleCreatedNow("soak", stock, 1, paymentTimeout);
  }
}
