package io.seckill.inventory;

import static io.seckill.platform.testing.Await.await;

import io.seckill.infra.DevStack;
import io.seckill.platform.store.Sale;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The scripts' tests against the JVM's embedded Redis (infra's dev stack): a client that may run
 * many scripts at once (several pooled connections, so concurrent calls interleave in Redis), sales
 * with fresh random ids, and readers for every key a script writes.
 */
final class RedisFixture implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final Redis redis;
  final Inventory inventory;

  RedisFixture() {
    redis =
        Redis.createClient(
            vertx,
            new RedisOptions()
                .setConnectionString(DevStack.shared().redisUri())
                .setMaxPoolSize(8)
                .setMaxPoolWaiting(10_000));
    inventory = new Inventory(redis, Duration.ofSeconds(10));
  }

  /** A fresh sale, open for the next hour, loaded into Redis. */
  long sale(int stock, int perUserLimit) {
    return sale(
        stock, perUserLimit, Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600));
  }

  long sale(int stock, int perUserLimit, Instant startsAt, Instant endsAt) {
    long id = saleId();
    await(
        inventory.loadSale(new Sale(id, "thing", stock, 100, startsAt, endsAt, perUserLimit, 900)));
    return id;
  }

  static long saleId() {
    return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
  }

  /**
   * Admits one unit for a user without an Idempotency-Key; fails the test unless it was admitted.
   */
  long admitted(long saleId, long orderId, String user) {
    Admission a = await(inventory.admit(saleId, orderId, user, 1, null));
    if (a.outcome() != Admission.Outcome.OK) throw new AssertionError("not admitted: " + a);
    return orderId;
  }

  /** A field of the sale's hash as a number (0 when absent). */
  long saleField(long saleId, String field) {
    Response r =
        await(redis.send(Request.cmd(Command.HGET).arg(RedisKeys.sale(saleId)).arg(field)));
    return r == null ? 0 : r.toLong();
  }

  Map<String, String> hash(String key) {
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

  /** The reservation of an order as admit.lua wrote it, or null. */
  JsonObject reservation(long saleId, long orderId) {
    Response r =
        await(
            redis.send(Request.cmd(Command.HGET).arg(RedisKeys.reservations(saleId)).arg(orderId)));
    return r == null ? null : new JsonObject(r.toString());
  }

  /** Order id -> admission time, of the sweeper's work list. */
  Map<String, Long> pending(long saleId) {
    Map<String, Long> out = new TreeMap<>();
    Response r =
        await(
            redis.send(
                Request.cmd(Command.ZRANGE)
                    .arg(RedisKeys.pending(saleId))
                    .arg(0)
                    .arg(-1)
                    .arg("WITHSCORES")));
    for (int i = 0; i < r.size(); i++) {
      Response e = r.get(i);
      if (e.type() == io.vertx.redis.client.ResponseType.MULTI) {
        out.put(e.get(0).toString(), e.get(1).toLong()); // RESP3: pairs
      } else {
        out.put(e.toString(), r.get(++i).toLong());
      }
    }
    return out;
  }

  List<String> members(String key) {
    List<String> out = new ArrayList<>();
    await(redis.send(Request.cmd(Command.SMEMBERS).arg(key))).forEach(r -> out.add(r.toString()));
    out.sort(null);
    return out;
  }

  void hset(String key, String field, String value) {
    await(redis.send(Request.cmd(Command.HSET).arg(key).arg(field).arg(value)));
  }

  void del(String key) {
    await(redis.send(Request.cmd(Command.DEL).arg(key)));
  }

  @Override
  public void close() {
    redis.close();
    await(vertx.close());
  }
}
