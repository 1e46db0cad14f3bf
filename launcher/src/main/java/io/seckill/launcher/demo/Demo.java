package io.seckill.launcher.demo;

import io.seckill.judge.Attempt.Kind;
import io.seckill.judge.Await;
import io.seckill.judge.Checker;
import io.seckill.platform.auth.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's story: a sale, a burst, the pipeline draining, deadlines firing, then the audit and
 * the checker.
 */
public final class Demo {
  public record Options(int buyers, int stock, int paymentTimeoutSeconds, int concurrency) {}

  private static final Duration BURST_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration ADMIN_CALL_TIMEOUT = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final WebClient http;
  private final Tokens tokens;
  private final PrintStream out;
  private long saleId;

  public Demo(Vertx vertx, int port, String jwtSecret, PrintStream out) {
    this.vertx = vertx;
    this.http =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(port)
                .setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(256));
    this.tokens = new Tokens(vertx, jwtSecret);
    this.out = out;
  }

  /**
   * Runs the demo and prints its report; true if every invariant holds and the checker found
   * nothing.
   */
  public boolean run(Options o) throws Exception {
    String admin = "Bearer " + tokens.admin("demo-admin", 3600);
    JsonObject sale =
        answer(
                http.post("/admin/sales")
                    .putHeader("authorization", admin)
                    .sendJsonObject(
                        new JsonObject()
                            .put("item", "Seckill demo phone")
                            .put("stock", o.stock())
                            .put("priceCents", 99_900)
                            .put("startsAt", Instant.now().minusSeconds(1).toString())
                            .put("endsAt", Instant.now().plusSeconds(3600).toString())
                            .put("perUserLimit", 1)
                            .put("paymentTimeoutSeconds", o.paymentTimeoutSeconds())))
            .bodyAsJsonObject();
    saleId = Long.parseLong(sale.getString("saleId"));
    out.printf(
        "sale %d: %d units, %d buyers, payment timeout %d s%n",
        saleId, o.stock(), o.buyers(), o.paymentTimeoutSeconds());

    Burst burst = new Burst(vertx, http, tokens, saleId);
    long started = System.nanoTime();
    long progress =
        vertx.setPeriodic(
            1000,
            t ->
                out.printf(
                    "  %4.0f s  %6d requests  %5d accepted  %4d paid  %4d cancelled%n",
                    (System.nanoTime() - started) / 1e9,
                    burst.ledger.requests(),
                    burst.ledger.accepted().size(),
                    burst.ledger.count(Kind.PAYMENT, 200),
                    burst.ledger.count(Kind.CANCEL, 200)));
    Await.result(burst.run(o.buyers(), o.concurrency()).toCompletionStage(), BURST_TIMEOUT);
    vertx.cancelTimer(progress);
    double burstSeconds = (System.nanoTime() - started) / 1e9;

    out.println("waiting for the pipeline to drain and the payment deadlines to fire...");
    JsonObject audit = drain(saleId, admin, o.paymentTimeoutSeconds() + 30);
    List<Checker.OrderRow> rows = new ArrayList<>();
    JsonArray list =
        answer(
                http.get("/admin/sales/" + saleId + "/orders")
                    .putHeader("authorization", admin)
                    .send())
            .bodyAsJsonObject()
            .getJsonArray("orders");
    for (Object row : list) {
      JsonObject r = (JsonObject) row;
      rows.add(
          new Checker.OrderRow(
              r.getString("orderId"),
              r.getString("userId"),
              r.getString("status"),
              r.getInteger("quantity", 1)));
    }
    Checker.Report checker = Checker.check(burst.ledger.snapshot(), rows, o.stock());
    Report.print(out, burst, burstSeconds, audit, checker);
    return audit.getBoolean("consistent", false) && checker.passed();
  }

  /** Polls the audit until nothing is in flight and no unpaid order waits, or the time is up. */
  private JsonObject drain(long saleId, String admin, int seconds) throws Exception {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    JsonObject audit;
    while (true) {
      audit =
          answer(
                  http.get("/admin/sales/" + saleId + "/audit")
                      .putHeader("authorization", admin)
                      .send())
              .bodyAsJsonObject();
      long unpaid = audit.getJsonObject("ordersByStatus").getLong("PENDING_PAYMENT", 0L);
      if ((audit.getBoolean("drained") && unpaid == 0 && audit.getBoolean("consistent"))
          || System.currentTimeMillis() > deadline) {
        return audit;
      }
      Await.sleep(500);
    }
  }

  private static HttpResponse<Buffer> answer(Future<HttpResponse<Buffer>> request) {
    return Await.result(request.toCompletionStage(), ADMIN_CALL_TIMEOUT);
  }

  public long saleId() {
    return saleId;
  }

  public Future<Void> close() {
    http.close();
    return Future.succeededFuture();
  }
}
