package io.seckill.inventory;

import io.seckill.platform.store.Sale;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Stock in Redis. Every change goes through one Lua script, so each is atomic and Cluster-safe (one
 * hash tag per sale).
 */
public final class Inventory {
  private static final Script LOAD_SALE = Script.load("load-sale.lua");
  private static final Script ADMIT = Script.load("admit.lua");
  private static final Script ADMIT_GROUP = Script.load("admit-group.lua");
  private static final Script SENT = Script.load("sent.lua");
  private static final Script CONFIRM = Script.load("confirm.lua");
  private static final Script CLAIM = Script.load("claim.lua");
  private static final Script FORGET = Script.load("forget.lua");
  private static final Script RELEASE = Script.load("release.lua");
  private static final Script RETURN = Script.load("return.lua");
  private static final Script RECONCILE = Script.load("reconcile.lua");

  private final Redis redis;
  private final long timeoutMillis;

  public Inventory(Redis redis, Duration timeout) {
    this.redis = redis;
    this.timeoutMillis = timeout.toMillis();
  }

  /** Loads the sale's stock and rules; true if loaded now, false if it was there already. */
  public Future<Boolean> loadSale(Sale s) {
    return run(
            LOAD_SALE,
            List.of(RedisKeys.sale(s.id())),
            List.of(
                Integer.toString(s.initialStock()),
                Long.toString(s.startsAt().toEpochMilli()),
                Long.toString(s.endsAt().toEpochMilli()),
                Integer.toString(s.perUserLimit())))
        .map(r -> r.toInteger() == 1);
  }

  public Future<Admission> admit(
      long saleId, long orderId, String userId, int quantity, String idempotencyKey) {
    return run(
            ADMIT,
            List.of(
                RedisKeys.sale(saleId),
                RedisKeys.users(saleId),
                RedisKeys.idempotency(saleId),
                RedisKeys.reservations(saleId),
                RedisKeys.pending(saleId)),
            List.of(
                Long.toString(orderId),
                userId,
                Integer.toString(quantity),
                idempotencyKey == null ? "" : idempotencyKey))
        .map(
            r ->
                new Admission(
                    Admission.Outcome.valueOf(r.get(0).toString()),
                    r.get(1).toString().isEmpty() ? 0 : Long.parseLong(r.get(1).toString()),
                    r.get(2).toLong(),
                    r.get(3).toLong()));
  }

  /** One order of a group admission (idempotencyKey null if none). */
  public record Candidate(long orderId, String userId, int quantity, String idempotencyKey) {}

  /**
   * Admits a group of orders of one sale with one script call, in list order, with the rules of
   * {@link #admit} applied to each as if each were its own call: one outcome per order, in the same
   * order.
   */
  public Future<List<Admission>> admitGroup(long saleId, List<Candidate> group) {
    List<String> args = new ArrayList<>(1 + group.size() * 4);
    args.add(Integer.toString(group.size()));
    for (Candidate c : group) {
      args.add(Long.toString(c.orderId()));
      args.add(c.userId());
      args.add(Integer.toString(c.quantity()));
      args.add(c.idempotencyKey() == null ? "" : c.idempotencyKey());
    }
    return run(
            ADMIT_GROUP,
            List.of(
                RedisKeys.sale(saleId),
                RedisKeys.users(saleId),
                RedisKeys.idempotency(saleId),
                RedisKeys.reservations(saleId),
                RedisKeys.pending(saleId)),
            args)
        .map(
            r -> {
              List<Admission> out = new ArrayList<>(group.size());
              for (int i = 0; i < group.size(); i++) {
                int b = i * 4;
                String id = r.get(b + 1).toString();
                out.add(
                    new Admission(
                        Admission.Outcome.valueOf(r.get(b).toString()),
                        id.isEmpty() ? 0 : Long.parseLong(id),
                        r.get(b + 2).toLong(),
                        r.get(b + 3).toLong()));
              }
              return out;
            });
  }

  /**
   * Every Idempotency-Key admitted for the sale, by its field (user, newline, key): one HGETALL.
   */
  public Future<Map<String, Long>> admittedKeys(long saleId) {
    return send(Request.cmd(Command.HGETALL).arg(RedisKeys.idempotency(saleId)))
        .map(
            r -> {
              Map<String, Long> out = new HashMap<>();
              if (r == null) return out;
              if (r.type() == ResponseType.MULTI && !r.isMap()) {
                for (int i = 0; i + 1 < r.size(); i += 2)
                  out.put(r.get(i).toString(), r.get(i + 1).toLong()); // RESP2: pairs
              } else {
                r.getKeys().forEach(k -> out.put(k, r.get(k).toLong()));
              }
              return out;
            });
  }

  /**
   * The order an Idempotency-Key was admitted with, if any: one HGET, the same field admit.lua
   * writes. Lets a sold-out sale answer a keyed request without running the admission script.
   */
  public Future<Optional<Long>> admittedOrder(long saleId, String userId, String idempotencyKey) {
    return send(Request.cmd(Command.HGET)
            .arg(RedisKeys.idempotency(saleId))
            .arg(RedisKeys.idempotencyField(userId, idempotencyKey)))
        .map(r -> r == null ? Optional.<Long>empty() : Optional.of(r.toLong()));
  }

  /** The broker acknowledged these orders; the sweeper can forget them. */
  public Future<Void> markSent(long saleId, List<Long> orderIds) {
    return run(SENT, List.of(RedisKeys.pending(saleId)), ids(orderIds)).mapEmpty();
  }

  /** The broker acknowledged this order; true if it still stands (was not released meanwhile). */
  public Future<Boolean> confirmSent(long saleId, long orderId) {
    return run(
            CONFIRM,
            List.of(RedisKeys.pending(saleId), RedisKeys.handoffs(saleId)),
            List.of(Long.toString(orderId)))
        .map(r -> r.toInteger() == 1);
  }

  public Future<List<Handoff>> claim(long saleId, List<Long> orderIds) {
    return run(
            CLAIM,
            List.of(
                RedisKeys.reservations(saleId),
                RedisKeys.pending(saleId),
                RedisKeys.handoffs(saleId),
                RedisKeys.sale(saleId)),
            ids(orderIds))
        .map(
            r -> {
              List<Handoff> out = new ArrayList<>(r.size());
              r.forEach(x -> out.add(Handoff.valueOf(x.toString())));
              return out;
            });
  }

  /** These orders are rows now; drop their reservations. */
  public Future<Void> forget(long saleId, List<Long> orderIds) {
    return run(
            FORGET, List.of(RedisKeys.reservations(saleId), RedisKeys.sale(saleId)), ids(orderIds))
        .mapEmpty();
  }

  public Future<Release> release(long saleId, long orderId) {
    return run(
            RELEASE,
            List.of(
                RedisKeys.sale(saleId),
                RedisKeys.users(saleId),
                RedisKeys.idempotency(saleId),
                RedisKeys.reservations(saleId),
                RedisKeys.pending(saleId),
                RedisKeys.handoffs(saleId)),
            List.of(Long.toString(orderId), RedisKeys.RESTOCK_CHANNEL, Long.toString(saleId)))
        .map(r -> Release.valueOf(r.toString()));
  }

  /** Returns a persisted order's stock; true only for the one call that actually returned it. */
  public Future<Boolean> returnStock(long saleId, long orderId, String userId, int quantity) {
    return run(
            RETURN,
            List.of(RedisKeys.sale(saleId), RedisKeys.users(saleId), RedisKeys.returned(saleId)),
            List.of(
                Long.toString(orderId),
                userId,
                Integer.toString(quantity),
                RedisKeys.RESTOCK_CHANNEL,
                Long.toString(saleId)))
        .map(r -> r.toInteger() == 1);
  }

  /**
   * Rebuilds the sale's stock, per-user holdings, returned set and claims from its rows plus the
   * reservations Redis still holds (reconcile.lua): the recovery path after Redis lost writes. Run
   * with the sale's workers drained.
   */
  public Future<Reconciliation> reconcile(Reconciliation.Input in) {
    JsonArray rows = new JsonArray();
    in.rows()
        .forEach(
            o ->
                rows.add(
                    new JsonArray()
                        .add(Long.toString(o.orderId()))
                        .add(o.userId())
                        .add(o.quantity())
                        .add(o.status())));
    long saleId = in.saleId();
    return run(
            RECONCILE,
            List.of(
                RedisKeys.sale(saleId),
                RedisKeys.users(saleId),
                RedisKeys.reservations(saleId),
                RedisKeys.pending(saleId),
                RedisKeys.handoffs(saleId),
                RedisKeys.returned(saleId)),
            List.of(
                Integer.toString(in.initialStock()),
                Long.toString(in.startsMillis()),
                Long.toString(in.endsMillis()),
                Integer.toString(in.perUserLimit()),
                rows.encode(),
                RedisKeys.RESTOCK_CHANNEL,
                Long.toString(saleId)))
        .map(
            r ->
                new Reconciliation(
                    r.get(0).toString(),
                    r.get(1).toLong(),
                    r.get(2).toLong(),
                    r.get(3).toLong(),
                    r.get(4).toLong()));
  }

  /** Stock left, or empty if the sale is not in Redis. */
  public Future<Optional<Long>> stockLeft(long saleId) {
    return send(Request.cmd(Command.HGET).arg(RedisKeys.sale(saleId)).arg("stock"))
        .map(r -> r == null ? Optional.empty() : Optional.of(r.toLong()));
  }

  public Future<Optional<Reservation>> reservation(long saleId, long orderId) {
    return send(Request.cmd(Command.HGET).arg(RedisKeys.reservations(saleId)).arg(orderId))
        .map(
            r ->
                r == null
                    ? Optional.empty()
                    : Optional.of(reservation(saleId, orderId, r.toString())));
  }

  /** Reservations admitted before cutoffMillis that are not known to be in Kafka (oldest first). */
  public Future<List<Reservation>> unsentSince(long saleId, long cutoffMillis, int limit) {
    return send(Request.cmd(Command.ZRANGEBYSCORE)
            .arg(RedisKeys.pending(saleId))
            .arg("-inf")
            .arg(cutoffMillis)
            .arg("LIMIT")
            .arg(0)
            .arg(limit))
        .compose(
            ids -> {
              if (ids == null || ids.size() == 0)
                return Future.succeededFuture(List.<Reservation>of());
              Request get = Request.cmd(Command.HMGET).arg(RedisKeys.reservations(saleId));
              ids.forEach(id -> get.arg(id.toString()));
              return send(get)
                  .map(
                      values -> {
                        List<Reservation> out = new ArrayList<>();
                        for (int i = 0; i < ids.size(); i++) {
                          Response v = values.get(i);
                          if (v != null)
                            out.add(
                                reservation(
                                    saleId, Long.parseLong(ids.get(i).toString()), v.toString()));
                        }
                        return out;
                      });
            });
  }

  public Future<StockSnapshot> snapshot(long saleId) {
    return redis
        .batch(
            List.of(
                Request.cmd(Command.HMGET)
                    .arg(RedisKeys.sale(saleId))
                    .arg("initial")
                    .arg("stock")
                    .arg("released")
                    .arg("returned"),
                Request.cmd(Command.HLEN).arg(RedisKeys.reservations(saleId)),
                Request.cmd(Command.ZCARD).arg(RedisKeys.pending(saleId)),
                Request.cmd(Command.SCARD).arg(RedisKeys.returned(saleId))))
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .map(
            r -> {
              Response h = r.get(0);
              if (h.get(0) == null) return new StockSnapshot(false, 0, 0, 0, 0, 0, 0, 0);
              return new StockSnapshot(
                  true,
                  h.get(0).toLong(),
                  h.get(1).toLong(),
                  r.get(1).toLong(),
                  r.get(2).toLong(),
                  h.get(2) == null ? 0 : h.get(2).toLong(),
                  h.get(3) == null ? 0 : h.get(3).toLong(),
                  r.get(3).toLong());
            });
  }

  /** Units held by reservations (orders not yet rows) and how many orders workers have claimed. */
  public record Flight(long reservedUnits, long claimedOrders, long releasedOrders) {}

  /**
   * Read from counters the scripts keep, so an audit costs one HMGET whatever the size of the sale.
   */
  public Future<Flight> flight(long saleId) {
    return send(Request.cmd(Command.HMGET)
            .arg(RedisKeys.sale(saleId))
            .arg("reserved")
            .arg("claimed")
            .arg("releasedOrders"))
        .map(r -> new Flight(count(r.get(0)), count(r.get(1)), count(r.get(2))));
  }

  private static long count(Response r) {
    return r == null ? 0 : r.toLong();
  }

  /**
   * Deletes every key of a sale (the gateway's private warm-up sales only: a real sale's keys are
   * its history).
   */
  public Future<Void> dropSale(long saleId) {
    return send(Request.cmd(Command.DEL)
            .arg(RedisKeys.sale(saleId))
            .arg(RedisKeys.users(saleId))
            .arg(RedisKeys.idempotency(saleId))
            .arg(RedisKeys.reservations(saleId))
            .arg(RedisKeys.pending(saleId))
            .arg(RedisKeys.handoffs(saleId))
            .arg(RedisKeys.returned(saleId)))
        .mapEmpty();
  }

  public Future<Void> ping() {
    return send(Request.cmd(Command.PING)).mapEmpty();
  }

  private Future<Response> run(Script script, List<String> keys, List<String> args) {
    return script.run(redis, keys, args).timeout(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  private Future<Response> send(Request request) {
    return redis.send(request).timeout(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  private static List<String> ids(List<Long> orderIds) {
    List<String> out = new ArrayList<>(orderIds.size());
    orderIds.forEach(id -> out.add(Long.toString(id)));
    return out;
  }

  private static Reservation reservation(long saleId, long orderId, String json) {
    JsonObject j = new JsonObject(json);
    return new Reservation(orderId, saleId, j.getString("u"), j.getInteger("q"), j.getLong("t"));
  }
}
