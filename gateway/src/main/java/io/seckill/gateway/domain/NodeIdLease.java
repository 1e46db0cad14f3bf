package io.seckill.gateway.domain;

import io.seckill.inventory.NodeLeases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this gateway's order-id node leased: taken at start (a free one of 1024), renewed every
 * third of its ttl, given back at stop. Ids are handed out only until the last successful renewal's
 * start plus the ttl (less a margin), which ends before Redis can expire the lease, so a gateway
 * cut off from Redis stops handing out ids (503) before another one can take its node id. A renewal
 * that finds the lease taken revokes it at once and leases a fresh node.
 */
public final class NodeIdLease {
  private static final Logger log = LoggerFactory.getLogger(NodeIdLease.class);

  private final Vertx vertx;
  private final NodeLeases leases;
  private final OrderIds ids;
  private final Duration ttl;
  private final long marginMillis;
  private final String owner = UUID.randomUUID().toString();
  private volatile int node = -1;
  private long timer = -1;
  private boolean renewing;
  private volatile boolean closed;

  public NodeIdLease(Vertx vertx, NodeLeases leases, OrderIds ids, Duration ttl) {
    this.vertx = vertx;
    this.leases = leases;
    this.ids = ids;
    this.ttl = ttl;
    this.marginMillis = Math.min(1_000, ttl.toMillis() / 10);
  }

  /**
   * Leases a node id and starts renewing it; fails if none is free (more than 1024 live gateways)
   * or Redis fails.
   */
  public Future<Integer> start() {
    return acquire()
        .map(
            n -> {
              if (n < 0)
                throw new IllegalStateException(
                    "all " + OrderIds.NODES + " order-id node leases are held by live gateways");
              timer = vertx.setPeriodic(Math.max(1, ttl.toMillis() / 3), t -> renew());
              return n;
            });
  }

  /** The node id held now, or -1. */
  public int node() {
    return ids.node() < 0 ? -1 : node;
  }

  private Future<Integer> acquire() {
    long asked = System.currentTimeMillis();
    return leases
        .acquire(owner, ThreadLocalRandom.current().nextInt(OrderIds.NODES), OrderIds.NODES, ttl)
        .map(
            n -> {
              if (n >= 0 && !closed) {
                node = n;
                ids.lease(n, validUntil(asked));
                log.info("order ids: leased node id {} for {} ms", n, ttl.toMillis());
              }
              return n;
            });
  }

  private void renew() {
    if (closed || renewing) return;
    renewing = true;
    long asked = System.currentTimeMillis();
    int held = node;
    Future<?> done =
        held < 0
            ? acquire()
            : leases
                .renew(held, owner, ttl)
                .compose(
                    stillOurs -> {
                      if (stillOurs) {
                        if (!closed) ids.lease(held, validUntil(asked));
                        return Future.succeededFuture();
                      }
                      log.error(
                          "order ids: the lease of node id {} was lost (Redis lost it or another gateway holds it); "
                              + "no ids until a fresh node id is leased",
                          held);
                      ids.revoke();
                      node = -1;
                      return acquire()
                          .onSuccess(
                              n -> {
                                if (n < 0)
                                  log.error(
                                      "order ids: no free node id; purchases get 503 until one is");
                              });
                    });
    // A failed renewal changes nothing: the lease lapses locally at its validity end unless a later
    // one succeeds.
    done.onComplete(
        r -> {
          renewing = false;
          if (r.failed())
            log.warn(
                "order ids: renewing the lease of node id {} failed: {}",
                held,
                r.cause().toString());
        });
  }

  private long validUntil(long askedAtMillis) {
    return askedAtMillis + ttl.toMillis() - marginMillis;
  }

  /** Stops handing out ids and gives the node id back. */
  public Future<Void> close() {
    closed = true;
    if (timer >= 0) vertx.cancelTimer(timer);
    ids.revoke();
    int held = node;
    node = -1;
    if (held < 0) return Future.succeededFuture();
    return leases
        .release(held, owner)
        .<Void>mapEmpty()
        .recover(
            e -> {
              log.warn(
                  "order ids: releasing node id {} failed ({}); it lapses by itself",
                  held,
                  e.toString());
              return Future.succeededFuture();
            });
  }
}
