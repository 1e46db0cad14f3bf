package io.seckill.inventory;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Node-id leases in Redis: one key per node id, taken with SET NX PX by an owner token, renewed and
 * released only by the owner that holds it (compare-and-act scripts). A lease lapses by itself when
 * its holder dies.
 */
public final class NodeLeases {
  private static final Script RENEW = Script.load("lease-renew.lua");
  private static final Script RELEASE = Script.load("lease-release.lua");

  private final Redis redis;
  private final long timeoutMillis;

  public NodeLeases(Redis redis, Duration timeout) {
    this.redis = redis;
    this.timeoutMillis = timeout.toMillis();
  }

  /**
   * The first free node id of nodes slots, trying from start on (wrapping), taken for ttl; -1 if
   * all are held. One SET NX per slot tried: with a random start and few gateways the first try
   * almost always wins.
   */
  public Future<Integer> acquire(String owner, int start, int nodes, Duration ttl) {
    return tryFrom(owner, start, 0, nodes, ttl);
  }

  private Future<Integer> tryFrom(String owner, int start, int tried, int nodes, Duration ttl) {
    if (tried >= nodes) return Future.succeededFuture(-1);
    int node = Math.floorMod(start + tried, nodes);
    return send(Request.cmd(Command.SET)
            .arg(RedisKeys.nodeLease(node))
            .arg(owner)
            .arg("NX")
            .arg("PX")
            .arg(ttl.toMillis()))
        .compose(
            r ->
                r != null && "OK".equals(r.toString())
                    ? Future.succeededFuture(node)
                    : tryFrom(owner, start, tried + 1, nodes, ttl));
  }

  /** True if owner still held node and now holds it for another ttl; false if it lost it. */
  public Future<Boolean> renew(int node, String owner, Duration ttl) {
    return RENEW
        .run(
            redis,
            List.of(RedisKeys.nodeLease(node)),
            List.of(owner, Long.toString(ttl.toMillis())))
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .map(r -> r.toInteger() == 1);
  }

  public Future<Boolean> release(int node, String owner) {
    return RELEASE
        .run(redis, List.of(RedisKeys.nodeLease(node)), List.of(owner))
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .map(r -> r.toInteger() == 1);
  }

  private Future<Response> send(Request request) {
    return redis.send(request).timeout(timeoutMillis, TimeUnit.MILLISECONDS);
  }
}
