package io.seckill.launcher.demo;

import io.seckill.judge.Attempt;
import io.seckill.judge.Attempt.Kind;
import io.seckill.judge.Ledger;
import io.seckill.platform.auth.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A burst of buyers against one sale. Most buy once; some retry with the same Idempotency-Key; some
 * try twice; a few send bad input. Accepted buyers wait for their order to be persisted, then pay,
 * cancel, or walk away. Every request and its answer goes into the ledger the checker judges.
 */
final class Burst {
  private static final long REQUEST_TIMEOUT_MILLIS = 10_000;

  private final Vertx vertx;
  private final WebClient http;
  private final Tokens tokens;
  private final long saleId;
  final Ledger ledger = new Ledger();
  final AtomicInteger walkedAway = new AtomicInteger();

  Burst(Vertx vertx, WebClient http, Tokens tokens, long saleId) {
    this.vertx = vertx;
    this.http = http;
    this.tokens = tokens;
    this.saleId = saleId;
  }

  /** Runs buyers 0..count-1 with at most `concurrency` journeys in flight. */
  Future<Void> run(int count, int concurrency) {
    Promise<Void> done = Promise.promise();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    Runnable[] launch = new Runnable[1];
    launch[0] =
        () -> {
          int i = next.getAndIncrement();
          if (i >= count) return;
          journey(i)
              .onComplete(
                  r -> {
                    if (finished.incrementAndGet() == count) done.complete();
                    else launch[0].run();
                  });
        };
    for (int k = 0; k < Math.min(concurrency, count); k++) launch[0].run();
    if (count == 0) done.complete();
    return done.future();
  }

  private Future<Void> journey(int i) {
    String user = "buyer-" + i;
    if (i % 50 == 0) return badInput(i, user);
    String key = "k-" + i;
    Future<Long> bought = buy(user, key);
    if (i % 10 == 1)
      bought = bought.compose(id -> buy(user, key)); // a retry: must return the same order
    if (i % 20 == 2)
      bought =
          bought.compose(id -> buy(user, "k-" + i + "-again").map(id)); // greedy: limit-reached
    return bought
        .compose(
            orderId ->
                orderId == null ? Future.succeededFuture() : afterAdmission(i, user, orderId))
        .recover(e -> Future.succeededFuture());
  }

  private Future<Long> buy(String user, String key) {
    long startMillis = System.currentTimeMillis();
    long start = System.nanoTime();
    return http.post("/api/sales/" + saleId + "/purchases")
        .putHeader("authorization", "Bearer " + tokens.user(user, 3600))
        .putHeader("idempotency-key", key)
        .timeout(REQUEST_TIMEOUT_MILLIS)
        .sendJsonObject(new JsonObject().put("quantity", 1))
        .transform(
            ar -> {
              long micros = (System.nanoTime() - start) / 1000;
              HttpResponse<Buffer> r = ar.succeeded() ? ar.result() : null;
              String orderId =
                  r != null && r.statusCode() == 202
                      ? r.bodyAsJsonObject().getString("orderId")
                      : null;
              ledger.record(
                  new Attempt(
                      Kind.PURCHASE,
                      user,
                      key,
                      status(r),
                      problem(r),
                      orderId,
                      0,
                      startMillis,
                      micros));
              return Future.succeededFuture(orderId == null ? null : Long.parseLong(orderId));
            });
  }

  private Future<Void> afterAdmission(int i, String user, long orderId) {
    return waitPersisted(user, orderId, 100)
        .compose(
            status -> {
              if (!"PENDING_PAYMENT".equals(status)) return Future.succeededFuture();
              if (i % 2 == 0) {
                return call(
                    http.post("/api/orders/" + orderId + "/payment"),
                    user,
                    orderId,
                    new JsonObject().put("paymentRef", "pay-" + orderId),
                    Kind.PAYMENT);
              }
              if (i % 10 == 3)
                return call(
                    http.delete("/api/orders/" + orderId), user, orderId, null, Kind.CANCEL);
              walkedAway.incrementAndGet();
              return Future.succeededFuture();
            });
  }

  /** Polls the order until it is a row (the worker persisted it); returns its status. */
  private Future<String> waitPersisted(String user, long orderId, int attemptsLeft) {
    long startMillis = System.currentTimeMillis();
    long start = System.nanoTime();
    return http.get("/api/orders/" + orderId)
        .putHeader("authorization", "Bearer " + tokens.user(user, 3600))
        .timeout(REQUEST_TIMEOUT_MILLIS)
        .send()
        .onFailure(
            e ->
                ledger.record(
                    new Attempt(
                        Kind.POLL,
                        user,
                        null,
                        Attempt.NO_ANSWER,
                        null,
                        Long.toString(orderId),
                        0,
                        startMillis,
                        (System.nanoTime() - start) / 1000)))
        .compose(
            r -> {
              ledger.record(
                  new Attempt(
                      Kind.POLL,
                      user,
                      null,
                      r.statusCode(),
                      problem(r),
                      Long.toString(orderId),
                      0,
                      startMillis,
                      (System.nanoTime() - start) / 1000));
              String status =
                  r.statusCode() == 200 ? r.bodyAsJsonObject().getString("status") : "ERROR";
              if (!"QUEUED".equals(status) || attemptsLeft <= 0)
                return Future.succeededFuture(status);
              Promise<String> later = Promise.promise();
              vertx.setTimer(
                  100, t -> waitPersisted(user, orderId, attemptsLeft - 1).onComplete(later));
              return later.future();
            });
  }

  private Future<Void> call(
      HttpRequest<Buffer> req, String user, long orderId, JsonObject body, Kind kind) {
    long startMillis = System.currentTimeMillis();
    long start = System.nanoTime();
    req.putHeader("authorization", "Bearer " + tokens.user(user, 3600))
        .timeout(REQUEST_TIMEOUT_MILLIS);
    Future<HttpResponse<Buffer>> sent = body == null ? req.send() : req.sendJsonObject(body);
    return sent.transform(
        ar -> {
          HttpResponse<Buffer> r = ar.succeeded() ? ar.result() : null;
          ledger.record(
              new Attempt(
                  kind,
                  user,
                  null,
                  status(r),
                  problem(r),
                  Long.toString(orderId),
                  0,
                  startMillis,
                  (System.nanoTime() - start) / 1000));
          return Future.succeededFuture();
        });
  }

  /** Bad input of several kinds: each must get a 4xx problem and change nothing. */
  private Future<Void> badInput(int i, String user) {
    long startMillis = System.currentTimeMillis();
    long start = System.nanoTime();
    String token = "Bearer " + tokens.user(user, 3600);
    var req = http.post("/api/sales/" + saleId + "/purchases").timeout(REQUEST_TIMEOUT_MILLIS);
    Future<HttpResponse<Buffer>> sent =
        switch ((i / 50) % 4) {
          case 0 ->
              req.putHeader("authorization", token)
                  .putHeader("content-type", "application/json")
                  .sendBuffer(Buffer.buffer("{\"quantity\":"));
          case 1 ->
              req.putHeader("authorization", "Bearer forged.token.value")
                  .sendJsonObject(new JsonObject().put("quantity", 1));
          case 2 ->
              req.putHeader("authorization", token)
                  .sendJsonObject(new JsonObject().put("quantity", -3));
          default ->
              http.post("/api/sales/1/purchases")
                  .putHeader("authorization", token)
                  .timeout(REQUEST_TIMEOUT_MILLIS)
                  .sendJsonObject(new JsonObject().put("quantity", 1));
        };
    return sent.transform(
        ar -> {
          HttpResponse<Buffer> r = ar.succeeded() ? ar.result() : null;
          ledger.record(
              new Attempt(
                  Kind.BAD_INPUT,
                  user,
                  null,
                  status(r),
                  problem(r),
                  null,
                  0,
                  startMillis,
                  (System.nanoTime() - start) / 1000));
          return Future.succeededFuture();
        });
  }

  private static int status(HttpResponse<Buffer> r) {
    return r == null ? Attempt.NO_ANSWER : r.statusCode();
  }

  /**
   * The problem's slug of an error answer ("sold-out"); null for a success, no answer, or a body
   * that is no problem.
   */
  private static String problem(HttpResponse<Buffer> r) {
    if (r == null || r.statusCode() < 300) return null;
    try {
      return Ledger.slug(r.bodyAsJsonObject().getString("type"));
    } catch (RuntimeException notJson) {
      return null;
    }
  }
}
