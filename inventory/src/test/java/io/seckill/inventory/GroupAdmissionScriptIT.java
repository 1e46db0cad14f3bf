package io.seckill.inventory;

import static io.seckill.platform.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.inventory.Inventory.Candidate;
import io.seckill.platform.config.Env;
import io.seckill.platform.config.Servers;
import io.seckill.platform.store.Sale;
import io.seckill.platform.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Group admission (admit-group.lua) against one-by-one admission (admit.lua), on the real Redis:
 * the same random arrivals (users, Idempotency-Keys, quantities) on two identical sales, one
 * admitted an order per call, the other in random consecutive groups, must give every order the
 * same outcome and leave the same state behind.
 */
class GroupAdmissionScriptIT {
  private static final Vertx vertx = Vertx.vertx();
  private static Redis redis;
  private static Inventory inventory;

  @BeforeAll
  static void start() {
    Env env = TestServers.env("group-admission-script");
    Servers servers = Servers.from(env);
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(servers.redisUri()));
    inventory = new Inventory(redis, servers.callTimeout());
  }

  @AfterAll
  static void stop() {
    redis.close();
    await(vertx.close());
  }

  @Test
  void groupsGiveEveryOrderTheOutcomeAndTheStateThatOneByOneAdmissionGives() {
    long seed = ThreadLocalRandom.current().nextLong();
    Random random = new Random(seed);
    for (int trial = 0; trial < 60; trial++) {
      int stock = random.nextInt(12);
      int limit = 1 + random.nextInt(3);
      long single = saleId();
      long grouped = saleId();
      await(inventory.loadSale(sale(single, stock, limit)));
      await(inventory.loadSale(sale(grouped, stock, limit)));
      int users = 1 + random.nextInt(6);
      int keys = random.nextInt(5);
      List<Candidate> arrivals = new ArrayList<>();
      int n = 1 + random.nextInt(40);
      for (int i = 0; i < n; i++) {
        String key = keys == 0 || random.nextInt(3) == 0 ? null : "key-" + random.nextInt(keys);
        arrivals.add(
            new Candidate(
                1_000_000L + i, "user-" + random.nextInt(users), 1 + random.nextInt(3), key));
      }

      List<Admission> oneByOne = new ArrayList<>();
      for (Candidate c : arrivals) {
        oneByOne.add(
            await(
                inventory.admit(
                    single, c.orderId(), c.userId(), c.quantity(), c.idempotencyKey())));
      }
      List<Admission> inGroups = new ArrayList<>();
      List<Integer> sizes = new ArrayList<>();
      for (int from = 0; from < n; ) {
        int size = 1 + random.nextInt(Math.min(12, n - from));
        sizes.add(size);
        inGroups.addAll(await(inventory.admitGroup(grouped, arrivals.subList(from, from + size))));
        from += size;
      }

      String what =
          "seed "
              + seed
              + ", trial "
              + trial
              + ", stock "
              + stock
              + ", limit "
              + limit
              + ", groups "
              + sizes
              + ", arrivals "
              + arrivals;
      assertThat(inGroups).as(what).hasSize(n);
      for (int i = 0; i < n; i++) {
        Admission a = oneByOne.get(i);
        Admission b = inGroups.get(i);
        assertThat(b.outcome()).as(what + ", order " + i).isEqualTo(a.outcome());
        assertThat(b.orderId()).as(what + ", order " + i).isEqualTo(a.orderId());
        assertThat(b.stockLeft()).as(what + ", order " + i).isEqualTo(a.stockLeft());
        assertThat(b.admittedAtMillis() == 0)
            .as(what + ", order " + i)
            .isEqualTo(a.admittedAtMillis() == 0);
      }
      assertThat(state(grouped)).as(what).isEqualTo(state(single));
    }
  }

  @Test
  void aGroupOnASaleThatIsNotLoadedAnswersNoSaleForEveryOrder() {
    List<Admission> out =
        await(
            inventory.admitGroup(
                saleId(), List.of(new Candidate(1, "a", 1, null), new Candidate(2, "b", 1, "k"))));
    assertThat(out)
        .extracting(Admission::outcome)
        .containsExactly(Admission.Outcome.NO_SALE, Admission.Outcome.NO_SALE);
  }

  /**
   * Everything admission writes, with the admission time left out of the reservations (the two runs
   * differ there).
   */
  private static Map<String, Object> state(long saleId) {
    Map<String, Object> s = new TreeMap<>();
    Response sale =
        await(
            redis.send(
                Request.cmd(Command.HMGET)
                    .arg(RedisKeys.sale(saleId))
                    .arg("stock")
                    .arg("reserved")));
    s.put("stock", sale.get(0).toString());
    s.put("reserved", sale.get(1).toString());
    s.put("users", hash(RedisKeys.users(saleId)));
    s.put("idem", hash(RedisKeys.idempotency(saleId)));
    Map<String, String> resv = new TreeMap<>();
    hash(RedisKeys.reservations(saleId))
        .forEach(
            (id, json) -> {
              JsonObject j = new JsonObject(json);
              resv.put(id, j.getString("u") + "/" + j.getInteger("q") + "/" + j.getString("k"));
            });
    s.put("resv", resv);
    List<String> pending = new ArrayList<>();
    await(redis.send(Request.cmd(Command.ZRANGE).arg(RedisKeys.pending(saleId)).arg(0).arg(-1)))
        .forEach(r -> pending.add(r.toString()));
    pending.sort(null);
    s.put("pending", pending);
    return s;
  }

  private static Map<String, String> hash(String key) {
    Map<String, String> out = new TreeMap<>();
    Response r = await(redis.send(Request.cmd(Command.HGETALL).arg(key)));
    if (r.isMap()) {
      r.getKeys().forEach(k -> out.put(k, r.get(k).toString()));
    } else {
      for (int i = 0; i + 1 < r.size(); i += 2)
        out.put(r.get(i).toString(), r.get(i + 1).toString());
    }
    return out;
  }

  private static long saleId() {
    return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
  }

  private static Sale sale(long id, int stock, int limit) {
    return new Sale(
        id,
        "thing",
        stock,
        100,
        Instant.now().minusSeconds(60),
        Instant.now().plusSeconds(3600),
        limit,
        900);
  }
}
