package io.seckill.gateway;

import static io.seckill.platform.testing.Await.await;
import static io.seckill.platform.testing.Await.sleep;
import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.infra.DevStack;
import io.seckill.infra.EmbeddedRedis;
import io.seckill.inventory.RedisKeys;
import io.seckill.platform.config.Env;
import io.seckill.platform.config.Settings;
import io.seckill.platform.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A backing server that is there but refuses (Redis loading its data set) or is not there at all
 * (Redis stopped, PostgreSQL unreachable): the buyer hears 503 overloaded with Retry-After, never
 * 500 or 504, and nothing changes. Each test runs on a Redis of its own, so stopping or reloading
 * it disturbs no other test.
 */
class BackendOutageIT {
  /**
   * 200 values of 200 kB loaded at 20 ms a key: about 4 s of LOADING, with clients served every 2
   * MB read.
   */
  private static final int FILLER_KEYS = 200;

  private static final int FILLER_BYTES = 200_000;
  private static final int KEY_LOAD_DELAY_MICROS = 20_000;

  @Test
  void purchasesSentWhileRedisReloadsItsDataSetGet503WithRetryAfterAndChangeNothing() {
    whileRedisLoads(
        "outage-reload",
        (spare, admin, vertx) -> {
          Redis reloader =
              Redis.createClient(vertx, new RedisOptions().setConnectionString(spare.uri()));
          // Saves, empties and loads the data set again, in the loading state throughout; its reply
          // comes when it is done.
          reloader.send(Request.cmd(Command.DEBUG).arg("RELOAD")).eventually(reloader::close);
        });
  }

  @Test
  void purchasesSentWhileRedisStartsOnALargeAppendOnlyFileGet503WithRetryAfterAndChangeNothing() {
    whileRedisLoads(
        "outage-aof",
        (spare, admin, vertx) -> {
          // An append-only file that starts with an RDB preamble, as after any rewrite:
          // key-load-delay applies to it.
          await(admin.send(Request.cmd(Command.BGREWRITEAOF)));
          long deadline = System.currentTimeMillis() + 30_000;
          while (info(admin).contains("aof_rewrite_in_progress:1")
              || info(admin).contains("aof_rewrite_scheduled:1")) {
            assertThat(System.currentTimeMillis()).as("AOF rewritten").isLessThan(deadline);
            sleep(50);
          }
          spare.stop();
          spare.startLoadingSlowly(KEY_LOAD_DELAY_MICROS);
        });
  }

  /**
   * Makes the test's own Redis load its data set slowly (and come back by itself), given it and a
   * client of it.
   */
  interface SlowLoad {
    void begin(EmbeddedRedis spare, Redis admin, Vertx vertx);
  }

  private static void whileRedisLoads(String name, SlowLoad slowLoad) {
    EmbeddedRedis spare = DevStack.shared().startSpareRedis();
    Env env = TestServers.env(name, Map.of(Settings.REDIS_URI.env(), spare.uri()));
    try (GatewayHarness gw = new GatewayHarness(env)) {
      Redis admin =
          Redis.createClient(gw.vertx, new RedisOptions().setConnectionString(spare.uri()));
      long sale = gw.createSale(50, 1, 900);
      HttpResponse<Buffer> before = await(gw.purchase(sale, "early", "early-key"));
      assertThat(before.statusCode()).as(before.bodyAsString()).isEqualTo(202);
      String earlyOrder = before.bodyAsJsonObject().getString("orderId");

      fill(admin);
      Map<String, Object> stateBefore = state(admin, sale);
      JsonObject auditBefore = audit(gw, sale);
      assertThat(auditBefore.getBoolean("consistent")).as(auditBefore.encodePrettily()).isTrue();

      slowLoad.begin(spare, admin, gw.vertx);
      awaitLoading(admin, true);

      List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
      for (int i = 0; i < 20; i++) sent.add(gw.purchase(sale, "buyer-" + i, "key-" + i));
      List<HttpResponse<Buffer>> answers = new ArrayList<>();
      sent.forEach(f -> answers.add(await(f)));
      HttpResponse<Buffer> poll =
          await(
              gw.http
                  .get("/api/orders/" + earlyOrder)
                  .putHeader("authorization", gw.user("early"))
                  .send());
      HttpResponse<Buffer> ready = await(gw.http.get("/health/ready").send());
      assertThat(loading(admin)).as("Redis still loading when the answers came").isTrue();

      for (HttpResponse<Buffer> r : answers) assertOverloaded(r);
      assertOverloaded(poll);
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(check(ready.bodyAsJsonObject(), "redis").getString("status")).isEqualTo("DOWN");
      // The reason (LOADING) goes to the log and /metrics, not to anonymous callers.
      assertThat(ready.bodyAsString()).doesNotContain("LOADING");

      awaitLoading(admin, false);
      assertThat(state(admin, sale))
          .as("stock, buyers, keys and reservations of the sale")
          .isEqualTo(stateBefore);
      JsonObject auditAfter = audit(gw, sale);
      assertThat(auditAfter.getBoolean("consistent")).as(auditAfter.encodePrettily()).isTrue();
      assertThat(auditAfter).isEqualTo(auditBefore);

      // Nothing is held against the refused buyers or their keys: the same requests now buy.
      for (int i = 0; i < 20; i++) {
        HttpResponse<Buffer> retry = await(gw.purchase(sale, "buyer-" + i, "key-" + i));
        assertThat(retry.statusCode()).as(retry.bodyAsString()).isEqualTo(202);
      }
      assertThat(gw.stock(sale)).isEqualTo(50 - 1 - 20);
      assertThat(await(gw.http.get("/health/ready").send()).statusCode()).isEqualTo(200);
    } finally {
      spare.stop();
    }
  }

  @Test
  void purchasesAndPollsWhileRedisIsStoppedGet503NotAnUnknownOutcome() {
    EmbeddedRedis spare = DevStack.shared().startSpareRedis();
    Env env = TestServers.env("outage-stopped", Map.of(Settings.REDIS_URI.env(), spare.uri()));
    try (GatewayHarness gw = new GatewayHarness(env)) {
      long sale = gw.createSale(10, 1, 900);
      HttpResponse<Buffer> first = await(gw.purchase(sale, "first", "first-key"));
      assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(202);
      String order = first.bodyAsJsonObject().getString("orderId");

      spare.stop();
      for (int i = 0; i < 10; i++)
        assertOverloaded(await(gw.purchase(sale, "stopped-" + i, "stopped-key-" + i)));
      assertOverloaded(await(gw.purchase(sale, "first", "first-key")));
      assertOverloaded(
          await(
              gw.http
                  .get("/api/orders/" + order)
                  .putHeader("authorization", gw.user("first"))
                  .send()));
      assertThat(await(gw.http.get("/health/ready").send()).statusCode()).isEqualTo(503);

      spare.start();
      // Back on its append-only file: only the first order holds stock, and the first buyer's key
      // still finds it.
      long deadline = System.currentTimeMillis() + 10_000;
      HttpResponse<Buffer> replay = await(gw.purchase(sale, "first", "first-key"));
      while (replay.statusCode() == 503 && System.currentTimeMillis() < deadline) {
        sleep(200);
        replay = await(gw.purchase(sale, "first", "first-key"));
      }
      assertThat(replay.statusCode()).as(replay.bodyAsString()).isEqualTo(202);
      assertThat(replay.bodyAsJsonObject().getString("orderId")).isEqualTo(order);
      assertThat(gw.stock(sale)).isEqualTo(9);
      assertThat(audit(gw, sale).getBoolean("consistent")).isTrue();
    } finally {
      spare.stop();
    }
  }

  @Test
  void paymentsPollsAndCancellationsWhilePostgresqlIsUnreachableGet503() throws Exception {
    Env env = TestServers.env("outage-pg");
    String order;
    try (GatewayHarness healthy = new GatewayHarness(env)) {
      long sale = healthy.createSale(5, 1, 900);
      order =
          await(healthy.purchase(sale, "payer", "pay-key")).bodyAsJsonObject().getString("orderId");
    }
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Env noPostgres =
        env.with(
            Map.of(
                Settings.PG_URI.env(),
                "postgresql://seckill:seckill@127.0.0.1:" + closed + "/none"));
    try (GatewayHarness gw = new GatewayHarness(noPostgres)) {
      String auth = gw.user("payer");
      assertOverloaded(
          await(
              gw.http
                  .post("/api/orders/" + order + "/payment")
                  .putHeader("authorization", auth)
                  .sendJsonObject(new JsonObject().put("paymentRef", "ref-1"))));
      assertOverloaded(
          await(gw.http.get("/api/orders/" + order).putHeader("authorization", auth).send()));
      assertOverloaded(
          await(gw.http.delete("/api/orders/" + order).putHeader("authorization", auth).send()));
    }
  }

  private static void assertOverloaded(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(503);
    assertThat(r.getHeader("content-type")).startsWith("application/problem+json");
    assertThat(r.bodyAsJsonObject().getString("type")).endsWith("/overloaded");
    assertThat(r.getHeader("retry-after")).isNotBlank();
  }

  /**
   * Enough data, slow enough to load, that DEBUG RELOAD keeps Redis in LOADING for seconds while it
   * serves clients.
   */
  private static void fill(Redis redis) {
    await(redis.send(Request.cmd(Command.CONFIG).arg("SET").arg("rdbcompression").arg("no")));
    await(
        redis.send(
            Request.cmd(Command.CONFIG)
                .arg("SET")
                .arg("key-load-delay")
                .arg(KEY_LOAD_DELAY_MICROS)));
    Buffer value = Buffer.buffer(new byte[FILLER_BYTES]);
    for (int i = 0; i < FILLER_KEYS; i++)
      await(redis.send(Request.cmd(Command.SET).arg("filler:" + i).arg(value)));
  }

  private static void awaitLoading(Redis redis, boolean wanted) {
    long deadline = System.currentTimeMillis() + 30_000;
    while (loading(redis) != wanted) {
      assertThat(System.currentTimeMillis()).as("Redis loading = " + wanted).isLessThan(deadline);
      sleep(20);
    }
  }

  /** INFO answers while loading; PING does not. */
  private static boolean loading(Redis redis) {
    return info(redis).contains("loading:1");
  }

  private static String info(Redis redis) {
    return await(redis.send(Request.cmd(Command.INFO).arg("persistence"))).toString();
  }

  /** Every Redis key of the sale, read back in full. */
  private static Map<String, Object> state(Redis redis, long sale) {
    Map<String, Object> out = new TreeMap<>();
    for (String key :
        List.of(
            RedisKeys.sale(sale),
            RedisKeys.users(sale),
            RedisKeys.idempotency(sale),
            RedisKeys.reservations(sale),
            RedisKeys.pending(sale),
            RedisKeys.handoffs(sale),
            RedisKeys.returned(sale))) {
      String type = await(redis.send(Request.cmd(Command.TYPE).arg(key))).toString();
      Response value =
          switch (type) {
            case "hash" -> await(redis.send(Request.cmd(Command.HGETALL).arg(key)));
            case "zset" ->
                await(
                    redis.send(
                        Request.cmd(Command.ZRANGE).arg(key).arg(0).arg(-1).arg("WITHSCORES")));
            case "set" -> await(redis.send(Request.cmd(Command.SMEMBERS).arg(key)));
            case "none" -> null;
            default -> await(redis.send(Request.cmd(Command.DUMP).arg(key)));
          };
      out.put(key, value == null ? "none" : new TreeMap<>(flatten(value)));
    }
    return out;
  }

  private static Map<String, String> flatten(Response r) {
    Map<String, String> out = new TreeMap<>();
    if (r.type() == ResponseType.MULTI) {
      if (r.getKeys() != null && !r.getKeys().isEmpty()) {
        for (String k : r.getKeys()) out.put(k, r.get(k).toString());
      } else {
        for (int i = 0; i < r.size(); i++) out.put("#" + i, r.get(i).toString());
      }
    } else {
      out.put("value", r.toString());
    }
    return out;
  }

  /** The sale's audit, less this gateway's own counters (which count refused attempts too). */
  private static JsonObject audit(GatewayHarness gw, long sale) {
    HttpResponse<Buffer> r =
        await(
            gw.http
                .get("/admin/sales/" + sale + "/audit")
                .putHeader("authorization", gw.admin())
                .send());
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonObject audit = r.bodyAsJsonObject();
    audit.remove("admissions");
    audit.remove("ordersLag");
    return audit;
  }

  private static JsonObject check(JsonObject health, String id) {
    JsonArray checks = health.getJsonArray("checks");
    for (int i = 0; i < checks.size(); i++) {
      if (id.equals(checks.getJsonObject(i).getString("id"))) return checks.getJsonObject(i);
    }
    throw new AssertionError("no check " + id + " in " + health.encode());
  }
}
