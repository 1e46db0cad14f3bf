package io.seckill.gateway;

import static io.seckill.platform.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.inventory.RedisKeys;
import io.seckill.platform.config.Env;
import io.seckill.platform.config.Settings;
import io.seckill.platform.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 13.4: order-id node ids are leased in Redis, so two live gateways never share one. */
class NodeIdLeaseIT {
  /** The counter the node ids used to come from (INCR, taken mod 1024). */
  private static final String OLD_NODE_COUNTER = "seckill:node-ids";

  static long node(long orderId) {
    return (orderId >>> 12) & 1023;
  }

  @Test
  void twoGatewaysStartedAfterTheNodeCounterWasResetNeverHandOutTheSameId() {
    Env env = TestServers.env("nodelease-two");
    try (GatewayHarness a = new GatewayHarness(env)) {
      // As a Redis that lost its counter (a restart without persistence, a failover) would: the
      // second gateway asks a
      // counter that gives it the first one's node id again.
      Response now = a.redis(Request.cmd(Command.GET).arg(OLD_NODE_COUNTER));
      if (now != null) a.redis(Request.cmd(Command.DECR).arg(OLD_NODE_COUNTER));
      else a.redis(Request.cmd(Command.DEL).arg(OLD_NODE_COUNTER));
      try (GatewayHarness b = new GatewayHarness(env)) {
        long sale = a.createSale(1_000, 1, 900);
        List<Future<HttpResponse<Buffer>>> fromA = new ArrayList<>();
        List<Future<HttpResponse<Buffer>>> fromB = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
          fromA.add(a.purchase(sale, "a-" + i, null));
          fromB.add(b.purchase(sale, "b-" + i, null));
        }
        Set<Long> idsA = ids(fromA);
        Set<Long> idsB = ids(fromB);
        Set<Long> nodesA = new HashSet<>();
        Set<Long> nodesB = new HashSet<>();
        idsA.forEach(id -> nodesA.add(node(id)));
        idsB.forEach(id -> nodesB.add(node(id)));
        assertThat(nodesA).hasSize(1);
        assertThat(nodesB).hasSize(1).doesNotContainAnyElementsOf(nodesA);
        Set<Long> all = new HashSet<>(idsA);
        all.addAll(idsB);
        assertThat(all).hasSize(800);
        // Each gateway's lease is in Redis under its node id.
        assertThat(
                a.redis(
                        Request.cmd(Command.EXISTS)
                            .arg(RedisKeys.nodeLease(nodesA.iterator().next().intValue())))
                    .toInteger())
            .isEqualTo(1);
        assertThat(
                b.redis(
                        Request.cmd(Command.EXISTS)
                            .arg(RedisKeys.nodeLease(nodesB.iterator().next().intValue())))
                    .toInteger())
            .isEqualTo(1);
      }
    }
  }

  @Test
  void aGatewayWhoseLeaseWasTakenStopsUsingItsNodeIdAndLeasesAFreshOne() throws Exception {
    Env env = TestServers.env("nodelease-lost", Map.of(Settings.NODE_LEASE_MS.env(), "1500"));
    try (GatewayHarness gw = new GatewayHarness(env)) {
      long sale = gw.createSale(10_000, 1, 900);
      long first = node(ids(List.of(gw.purchase(sale, "before-theft", null))).iterator().next());
      // Another holder now has this node id (as after a Redis failover that lost the lease and a
      // new gateway took it).
      gw.redis(
          Request.cmd(Command.SET)
              .arg(RedisKeys.nodeLease((int) first))
              .arg("another-gateway")
              .arg("PX")
              .arg(60_000));
      long deadline = System.currentTimeMillis() + 10_000;
      long moved = -1;
      int k = 0;
      while (moved < 0 && System.currentTimeMillis() < deadline) {
        HttpResponse<Buffer> r = await(gw.purchase(sale, "during-" + k++, null));
        if (r.statusCode() == 202) {
          long n = node(Long.parseLong(r.bodyAsJsonObject().getString("orderId")));
          if (n != first) moved = n;
        } else {
          // Between losing the lease and leasing a fresh node id the gateway fails closed.
          assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(503);
        }
        Thread.sleep(50);
      }
      assertThat(moved).as("a fresh node id within 10 s").isGreaterThanOrEqualTo(0);
      List<Future<HttpResponse<Buffer>>> after = new ArrayList<>();
      for (int i = 0; i < 50; i++) after.add(gw.purchase(sale, "after-" + i, null));
      Set<Long> nodes = new HashSet<>();
      ids(after).forEach(id -> nodes.add(node(id)));
      assertThat(nodes).containsExactly(moved);
      // The gateway never touched the other holder's lease.
      assertThat(
              gw.redis(Request.cmd(Command.GET).arg(RedisKeys.nodeLease((int) first))).toString())
          .isEqualTo("another-gateway");
    }
  }

  @Test
  void aStoppedGatewayGivesItsNodeIdBack() {
    try (GatewayHarness gw = new GatewayHarness(TestServers.env("nodelease-stop"))) {
      long sale = gw.createSale(10, 1, 900);
      long node = node(ids(List.of(gw.purchase(sale, "buyer", null))).iterator().next());
      assertThat(
              gw.redis(Request.cmd(Command.EXISTS).arg(RedisKeys.nodeLease((int) node)))
                  .toInteger())
          .isEqualTo(1);
      gw.stopGateway();
      assertThat(
              gw.redis(Request.cmd(Command.EXISTS).arg(RedisKeys.nodeLease((int) node)))
                  .toInteger())
          .as("lease of node %d after its gateway stopped", node)
          .isZero();
    }
  }

  private static Set<Long> ids(List<Future<HttpResponse<Buffer>>> purchases) {
    await(Future.join(purchases));
    Set<Long> out = new HashSet<>();
    for (var f : purchases) {
      HttpResponse<Buffer> r = f.result();
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
      assertThat(out.add(Long.parseLong(r.bodyAsJsonObject().getString("orderId")))).isTrue();
    }
    return out;
  }
}
