package io.seckill.reliability;

import io.seckill.judge.Attempt;
import io.seckill.judge.Attempt.Kind;
import io.seckill.judge.Ledger;
import io.seckill.platform.testing.Await;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures recovery: from the moment a fault is injected, rounds of probe purchases (3 through each
 * gateway, on a sale of their own) until a whole round is answered 202 and every one of its orders
 * is a row within 4 s. Six orders over six partitions: a round rarely succeeds by luck while half
 * the partitions have no live consumer.
 */
final class Probe {
  private static final int PER_GATEWAY = 3;
  private final Pipeline p;
  private final Shop shop;
  final long saleId;
  final Ledger ledger;
  private final String prefix;
  private final AtomicInteger next = new AtomicInteger();

  Probe(Pipeline p, long saleId, Ledger ledger, String prefix) {
    this.p = p;
    this.shop = new Shop(p);
    this.saleId = saleId;
    this.ledger = ledger;
    this.prefix = prefix;
  }

  /** Millis from t0 until a round succeeded, or -1 if none did before the timeout. Blocking. */
  long measure(long t0Nanos, long timeoutMillis) {
    long deadline = t0Nanos + timeoutMillis * 1_000_000;
    while (System.nanoTime() < deadline) {
      if (round()) return (System.nanoTime() - t0Nanos) / 1_000_000;
      Await.sleep(250);
    }
    return -1;
  }

  private boolean round() {
    List<long[]> orders = new ArrayList<>();
    boolean ok = true;
    for (int g = 0; g < p.http.size(); g++) {
      for (int k = 0; k < PER_GATEWAY; k++) {
        String user = prefix + "-" + next.getAndIncrement();
        long start = System.currentTimeMillis();
        long t0 = System.nanoTime();
        try {
          HttpResponse<Buffer> r =
              Await.await(
                  p.http
                      .get(g)
                      .post("/api/sales/" + saleId + "/purchases")
                      .putHeader("authorization", shop.user(user))
                      .putHeader("idempotency-key", "probe")
                      .timeout(3000)
                      .sendJsonObject(new JsonObject().put("quantity", 1)),
                  5);
          String id = r.statusCode() == 202 ? r.bodyAsJsonObject().getString("orderId") : null;
          ledger.record(
              new Attempt(
                  Kind.PURCHASE,
                  user,
                  "probe",
                  r.statusCode(),
                  Rush.type(r),
                  id,
                  g,
                  start,
                  (System.nanoTime() - t0) / 1000));
          if (id != null) {
            orders.add(
                new long[] {
                  Long.parseLong(id), g, Long.parseLong(user.substring(user.lastIndexOf('-') + 1))
                });
          } else {
            ok = false;
          }
        } catch (RuntimeException e) {
          ledger.record(
              new Attempt(
                  Kind.PURCHASE,
                  user,
                  "probe",
                  Attempt.NO_ANSWER,
                  null,
                  null,
                  g,
                  start,
                  (System.nanoTime() - t0) / 1000));
          ok = false;
        }
      }
    }
    if (!ok) return false;
    long until = System.nanoTime() + 4_000_000_000L;
    for (long[] o : orders) {
      String user = prefix + "-" + o[2];
      while (true) {
        if (System.nanoTime() > until) return false;
        try {
          long start = System.currentTimeMillis();
          HttpResponse<Buffer> r =
              Await.await(
                  p.http
                      .get((int) o[1])
                      .get("/api/orders/" + o[0])
                      .putHeader("authorization", shop.user(user))
                      .timeout(2000)
                      .send(),
                  3);
          ledger.record(
              new Attempt(
                  Kind.POLL,
                  user,
                  null,
                  r.statusCode(),
                  Rush.type(r),
                  Long.toString(o[0]),
                  (int) o[1],
                  start,
                  (System.currentTimeMillis() - start) * 1000));
          if (r.statusCode() == 200
              && "PENDING_PAYMENT".equals(r.bodyAsJsonObject().getString("status"))) break;
        } catch (RuntimeException e) {
          ledger.record(
              new Attempt(
                  Kind.POLL,
                  user,
                  null,
                  Attempt.NO_ANSWER,
                  null,
                  Long.toString(o[0]),
                  (int) o[1],
                  System.currentTimeMillis(),
                  0));
        }
        Await.sleep(100);
      }
    }
    return true;
  }
}
