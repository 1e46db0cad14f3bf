package io.seckill.gateway;

import static io.seckill.platform.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 13.6: order-status streams (SSE) are served from one shared poll and capped per user. */
class OrderEventsIT {
  static GatewayHarness gw;
  static HttpClient client;

  @BeforeAll
  static void start() {
    gw = new GatewayHarness(TestServers.env("order-events"));
    client = gw.vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(50));
  }

  @AfterAll
  static void stop() {
    await(client.close());
    gw.close();
  }

  /** An open stream: the events received so far, and the response to close. */
  record Stream(
      HttpClientResponse response, ConcurrentLinkedQueue<String> events, Promise<Void> ended) {}

  Future<HttpClientResponse> open(long orderId, String user) {
    return client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost("127.0.0.1")
                .setPort(gw.gateway.port())
                .setURI("/api/orders/" + orderId + "/events")
                .putHeader("authorization", gw.user(user)))
        .compose(req -> req.send());
  }

  record Refusal(int status, String contentType, Buffer body) {}

  /**
   * Opens a stream and reads the body if it is refused (a stream that opens is left open, its body
   * unread).
   */
  Future<Refusal> attempt(long orderId, String user) {
    return open(orderId, user)
        .compose(
            r ->
                r.statusCode() == 200
                    ? Future.succeededFuture(new Refusal(200, r.getHeader("content-type"), null))
                    : r.body()
                        .map(b -> new Refusal(r.statusCode(), r.getHeader("content-type"), b)));
  }

  Stream stream(long orderId, String user) {
    ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
    Promise<Void> ended = Promise.promise();
    StringBuilder pending = new StringBuilder();
    // The handlers are set on the event loop as the response arrives: data that comes before a
    // handler is lost.
    HttpClientResponse r =
        await(
            open(orderId, user)
                .map(
                    response -> {
                      response.handler(
                          chunk -> {
                            pending.append(chunk.toString());
                            int end;
                            while ((end = pending.indexOf("\n\n")) >= 0) {
                              String event = pending.substring(0, end);
                              pending.delete(0, end + 2);
                              for (String line : event.split("\n"))
                                if (line.startsWith("data: ")) events.add(line.substring(6));
                            }
                          });
                      response.endHandler(v -> ended.tryComplete());
                      response.exceptionHandler(e -> ended.tryComplete());
                      return response;
                    }));
    assertThat(r.statusCode()).isEqualTo(200);
    return new Stream(r, events, ended);
  }

  @Test
  void aStreamShowsThePendingOrderThenItsPaymentAndEnds() throws Exception {
    String user = "watcher-" + System.nanoTime();
    long sale = gw.createSale(10, 1, 900);
    long order = gw.pendingOrder(sale, user, 900);
    Stream s = stream(order, user);
    waitFor(() -> s.events().size() >= 1);
    assertThat(new JsonObject(s.events().peek()).getString("status")).isEqualTo("PENDING_PAYMENT");
    HttpResponse<Buffer> paid =
        await(
            gw.http
                .post("/api/orders/" + order + "/payment")
                .putHeader("authorization", gw.user(user))
                .sendJsonObject(new JsonObject().put("paymentRef", "pay-1")));
    assertThat(paid.statusCode()).as(paid.bodyAsString()).isEqualTo(200);
    await(s.ended().future());
    assertThat(s.events())
        .extracting(e -> new JsonObject(e).getString("status"))
        .containsExactly("PENDING_PAYMENT", "PAID");
  }

  @Test
  void aUserHoldsAtMostFiveStreamsAndGetsAnotherOnceOneCloses() throws Exception {
    String user = "tabs-" + System.nanoTime();
    long sale = gw.createSale(10, 1, 900);
    long order = gw.pendingOrder(sale, user, 900);
    List<Stream> open = new ArrayList<>();
    for (int i = 0; i < 5; i++) open.add(stream(order, user));
    Refusal sixth = await(attempt(order, user));
    assertThat(sixth.status()).isEqualTo(429);
    assertThat(sixth.contentType()).isEqualTo("application/problem+json");
    assertThat(sixth.body().toJsonObject().getString("type")).endsWith("/rate-limited");
    // Another user is not affected.
    String other = "other-" + System.nanoTime();
    long otherOrder = gw.pendingOrder(sale, other, 900);
    Stream theirs = stream(otherOrder, other);
    waitFor(() -> theirs.events().size() >= 1);
    // Closing one stream frees its place.
    await(open.get(0).response().request().connection().close());
    long deadline = System.currentTimeMillis() + 5_000;
    int status = 0;
    while (System.currentTimeMillis() < deadline) {
      status = await(attempt(order, user)).status();
      if (status == 200) break;
      Thread.sleep(100);
    }
    assertThat(status).isEqualTo(200);
  }

  private static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline)
        throw new AssertionError("condition not met in 10 s");
      Thread.sleep(20);
    }
  }
}
