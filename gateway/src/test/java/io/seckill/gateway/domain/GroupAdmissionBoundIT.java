package io.seckill.gateway.domain;

import static io.seckill.platform.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.inventory.Admission;
import io.seckill.inventory.Inventory;
import io.seckill.inventory.Inventory.Candidate;
import io.seckill.inventory.PipelinedRedis;
import io.seckill.platform.config.Servers;
import io.seckill.platform.store.Sale;
import io.seckill.platform.testing.TestServers;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GroupAdmission on one event loop against the real Redis: what it keeps per sale, and the group
 * sizes it reports.
 */
class GroupAdmissionBoundIT {
  private static final Vertx vertx = Vertx.vertx();
  private static Redis redis;
  private static Inventory inventory;

  @BeforeAll
  static void start() {
    Servers servers = Servers.from(TestServers.env("group-admission-bound"));
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(servers.redisUri()));
    // As the gateway does: admissions pipelined on one connection, so 200 groups at once queue
    // nowhere.
    inventory = new Inventory(new PipelinedRedis(redis), servers.callTimeout());
  }

  @AfterAll
  static void stop() {
    redis.close();
    await(vertx.close());
  }

  @Test
  void soldOutSalesLeaveNothingBehindOnceTheirGroupsAreAnswered() {
    Context loop = vertx.getOrCreateContext();
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    GroupAdmission groups =
        on(
            loop,
            () ->
                Future.succeededFuture(
                    new GroupAdmission(vertx, inventory, Duration.ofMillis(50), 64, sizes::add)));
    List<Long> sales = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
      await(
          inventory.loadSale(
              new Sale(
                  id,
                  "thing",
                  1,
                  100,
                  Instant.now().minusSeconds(60),
                  Instant.now().plusSeconds(3600),
                  1,
                  900)));
      sales.add(id);
    }
    // Three buyers for the one unit of each of 200 sales, all from one turn of the loop: the first
    // purchase goes at
    // once, the rest gather behind it.
    List<Future<Admission>> outcomes = new ArrayList<>();
    int held =
        on(
            loop,
            () -> {
              for (long sale : sales) {
                for (int b = 0; b < 3; b++) {
                  outcomes.add(
                      groups.admit(
                          sale,
                          new Candidate(sale % 1_000_000 * 10 + b, "buyer-" + b, 1, "key-" + b)));
                }
              }
              return Future.succeededFuture(groups.salesInFlight());
            });
    assertThat(held).isEqualTo(200);

    List<Admission.Outcome> seen = new ArrayList<>();
    for (Future<Admission> f : outcomes) seen.add(await(f).outcome());
    for (int s = 0; s < sales.size(); s++) {
      assertThat(seen.subList(3 * s, 3 * s + 3))
          .as("sale " + sales.get(s))
          .containsExactly(
              Admission.Outcome.OK, Admission.Outcome.SOLD_OUT, Admission.Outcome.SOLD_OUT);
    }
    assertThat(on(loop, () -> Future.succeededFuture(groups.salesInFlight()))).isZero();
    assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(600);
    assertThat(sizes).contains(1, 2);

    // A sale bought again after its entry was dropped gets a fresh one, and it too is dropped once
    // answered.
    Admission again =
        await(
            on(
                loop,
                () ->
                    Future.succeededFuture(
                        groups.admit(sales.get(0), new Candidate(7, "late", 1, null)))));
    assertThat(again.outcome()).isEqualTo(Admission.Outcome.SOLD_OUT);
    assertThat(on(loop, () -> Future.succeededFuture(groups.salesInFlight()))).isZero();
  }

  private static <T> T on(Context loop, Supplier<Future<T>> work) {
    Promise<T> p = Promise.promise();
    loop.runOnContext(v -> work.get().onComplete(p));
    return await(p.future());
  }
}
