package io.seckill.reliability;

import io.seckill.judge.Attempt;
import io.seckill.judge.Attempt.Kind;
import io.seckill.judge.Ledger;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Buyers at a fixed arrival rate, spread over every gateway (buyer i starts at gateway i mod n).
 * Each buys once with an Idempotency-Key; without an answer, or on a 5xx, it retries the same key
 * at the next gateway (up to 3 times), as a phone app would. Of the admitted, every third pays once
 * its order is a row, every tenth cancels, the rest walk away (their payment deadline cancels
 * them). Every request goes into the ledger.
 */
final class Rush {
  static final long REQUEST_TIMEOUT_MILLIS = 15_000;
  private static final int MAX_TRIES = 4;

  private final Pipeline p;
  private final Shop shop;
  private final long saleId;
  private final Ledger ledger;
  private final String prefix;
  private final boolean payAndCancel;
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger started = new AtomicInteger();
  private volatile long lastLaunchMillis;
  private volatile boolean stopLaunching;

  Rush(Pipeline p, long saleId, Ledger ledger, String prefix, boolean payAndCancel) {
    this.p = p;
    this.shop = new Shop(p);
    this.saleId = saleId;
    this.ledger = ledger;
    this.prefix = prefix;
    this.payAndCancel = payAndCancel;
  }

  /**
   * Starts `buyers` journeys at `perSecond`, at most `maxInFlight` at once; completes when every
   * journey ended.
   */
  Future<Void> run(int buyers, double perSecond, int maxInFlight) {
    Promise<Void> done = Promise.promise();
    AtomicInteger finished = new AtomicInteger();
    long begin = System.nanoTime();
    long tick = 10;
    p.vertx.setPeriodic(
        tick,
        timer -> {
          double due = Math.min(buyers, (System.nanoTime() - begin) / 1e9 * perSecond);
          while (!stopLaunching && started.get() < due && inFlight.get() < maxInFlight) {
            int i = started.getAndIncrement();
            lastLaunchMillis = System.currentTimeMillis();
            inFlight.incrementAndGet();
            journey(i)
                .onComplete(
                    x -> {
                      inFlight.decrementAndGet();
                      if (finished.incrementAndGet() == buyers) done.tryComplete();
                    });
          }
          if (started.get() >= buyers || stopLaunching) {
            p.vertx.cancelTimer(timer);
            int launched = started.get();
            if (launched < buyers) {
              // stopped early: count the journeys never launched as finished
              if (finished.addAndGet(buyers - launched) == buyers) done.tryComplete();
            }
          }
        });
    return done.future();
  }

  /** When the last journey was launched: with the start, the rate actually offered. */
  long lastLaunchMillis() {
    return lastLaunchMillis;
  }

  void stop() {
    stopLaunching = true;
  }

  private Future<Void> journey(int i) {
    String user = prefix + "-" + i;
    String key = "k-" + i;
    int gateways = p.http.size();
    return buy(user, key, i % gateways, 0)
        .compose(
            orderId -> {
              if (orderId == null || !payAndCancel) return Future.succeededFuture();
              if (i % 3 == 0)
                return persisted(user, orderId, i % gateways, 120)
                    .compose(
                        ok -> ok ? pay(user, orderId, i % gateways, 0) : Future.succeededFuture());
              if (i % 10 == 1)
                return persisted(user, orderId, i % gateways, 120)
                    .compose(
                        ok ->
                            ok ? cancel(user, orderId, i % gateways, 0) : Future.succeededFuture());
              return Future.succeededFuture();
            })
        .recover(e -> Future.succeededFuture());
  }

  private Future<Long> buy(String user, String key, int gateway, int tryNo) {
    long start = System.currentTimeMillis();
    long t0 = System.nanoTime();
    HttpRequest<Buffer> req =
        p.http
            .get(gateway)
            .post("/api/sales/" + saleId + "/purchases")
            .putHeader("authorization", shop.user(user))
            .putHeader("idempotency-key", key)
            .timeout(REQUEST_TIMEOUT_MILLIS);
    return req.sendJsonObject(new JsonObject().put("quantity", 1))
        .transform(
            ar -> {
              long micros = (System.nanoTime() - t0) / 1000;
              HttpResponse<Buffer> r = ar.succeeded() ? ar.result() : null;
              String orderId =
                  r != null && r.statusCode() == 202
                      ? r.bodyAsJsonObject().getString("orderId")
                      : null;
              // No answer, or a 5xx: the judge counts it as uncertain (but 503, "nothing was
              // taken"); the buyer tries again.
              ledger.record(
                  new Attempt(
                      Kind.PURCHASE,
                      user,
                      key,
                      status(ar),
                      type(r),
                      orderId,
                      gateway,
                      start,
                      micros));
              if (orderId != null) return Future.succeededFuture(Long.parseLong(orderId));
              if (r == null || r.statusCode() >= 500) return retry(user, key, gateway, tryNo);
              return Future.succeededFuture(null);
            });
  }

  private Future<Long> retry(String user, String key, int gateway, int tryNo) {
    if (tryNo + 1 >= MAX_TRIES) return Future.succeededFuture(null);
    Promise<Long> later = Promise.promise();
    p.vertx.setTimer(
        300L * (tryNo + 1),
        t -> buy(user, key, (gateway + 1) % p.http.size(), tryNo + 1).onComplete(later));
    return later.future();
  }

  /** Polls the order until it is a row; false if it is not one in time. */
  private Future<Boolean> persisted(String user, long orderId, int gateway, int attemptsLeft) {
    long start = System.currentTimeMillis();
    long t0 = System.nanoTime();
    return p.http
        .get(gateway)
        .get("/api/orders/" + orderId)
        .putHeader("authorization", shop.user(user))
        .timeout(REQUEST_TIMEOUT_MILLIS)
        .send()
        .transform(
            ar -> {
              int status = status(ar);
              ledger.record(
                  new Attempt(
                      Kind.POLL,
                      user,
                      null,
                      status,
                      type(ar.result()),
                      Long.toString(orderId),
                      gateway,
                      start,
                      (System.nanoTime() - t0) / 1000));
              String s = status == 200 ? ar.result().bodyAsJsonObject().getString("status") : null;
              if ("PENDING_PAYMENT".equals(s)) return Future.succeededFuture(true);
              if (s != null && !"QUEUED".equals(s)) return Future.succeededFuture(false);
              if (attemptsLeft <= 0) return Future.succeededFuture(false);
              Promise<Boolean> later = Promise.promise();
              // a gateway that does not answer: ask the other one
              int next = status < 0 ? (gateway + 1) % p.http.size() : gateway;
              p.vertx.setTimer(
                  250, t -> persisted(user, orderId, next, attemptsLeft - 1).onComplete(later));
              return later.future();
            });
  }

  private Future<Void> pay(String user, long orderId, int gateway, int tryNo) {
    return call(
            Kind.PAYMENT,
            p.http.get(gateway).post("/api/orders/" + orderId + "/payment"),
            user,
            orderId,
            new JsonObject().put("paymentRef", "ref-" + orderId),
            gateway)
        .compose(
            status -> {
              if (status == 200) return Future.succeededFuture();
              if ((status < 0 || status >= 500) && tryNo < 3)
                return later(() -> pay(user, orderId, (gateway + 1) % p.http.size(), tryNo + 1));
              return Future.succeededFuture();
            });
  }

  private Future<Void> cancel(String user, long orderId, int gateway, int tryNo) {
    return call(
            Kind.CANCEL,
            p.http.get(gateway).delete("/api/orders/" + orderId),
            user,
            orderId,
            null,
            gateway)
        .compose(
            status -> {
              if (status == 200) return Future.succeededFuture();
              if ((status < 0 || status >= 500) && tryNo < 3)
                return later(() -> cancel(user, orderId, (gateway + 1) % p.http.size(), tryNo + 1));
              return Future.succeededFuture();
            });
  }

  private Future<Void> later(Supplier<Future<Void>> next) {
    Promise<Void> pr = Promise.promise();
    p.vertx.setTimer(500, t -> next.get().onComplete(pr));
    return pr.future();
  }

  private Future<Integer> call(
      Kind kind, HttpRequest<Buffer> req, String user, long orderId, JsonObject body, int gateway) {
    long start = System.currentTimeMillis();
    long t0 = System.nanoTime();
    req.putHeader("authorization", shop.user(user)).timeout(REQUEST_TIMEOUT_MILLIS);
    Future<HttpResponse<Buffer>> sent = body == null ? req.send() : req.sendJsonObject(body);
    return sent.transform(
        ar -> {
          int status = status(ar);
          ledger.record(
              new Attempt(
                  kind,
                  user,
                  null,
                  status,
                  type(ar.result()),
                  Long.toString(orderId),
                  gateway,
                  start,
                  (System.nanoTime() - t0) / 1000));
          return Future.succeededFuture(status);
        });
  }

  static int status(io.vertx.core.AsyncResult<HttpResponse<Buffer>> ar) {
    return ar.succeeded() ? ar.result().statusCode() : Attempt.NO_ANSWER;
  }

  /**
   * The problem's slug of an error answer; null for a success, no answer, or a body that is no
   * problem.
   */
  static String type(HttpResponse<Buffer> r) {
    if (r == null || r.statusCode() < 300) return null;
    try {
      return Ledger.slug(r.bodyAsJsonObject().getString("type"));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
