package io.seckill.gateway.warmup;

import io.seckill.gateway.kafka.OrderPublisher;
import io.seckill.gateway.sale.SaleCatalog;
import io.seckill.inventory.Inventory;
import io.seckill.platform.auth.Tokens;
import io.seckill.platform.store.Sale;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warm before ready: a fresh JVM interprets the purchase path for its first tens of thousands of
 * requests, so the first buyers of a sale would meet a gateway at a few percent of its speed.
 * Before /health/ready says 200 the gateway drives its own hot path over HTTP (token check, rate
 * limits, group admission in Redis, a Kafka send with acks=all, the sold-out answers keyed and not)
 * on two private sales: they live only in this gateway's memory and in Redis, never in PostgreSQL,
 * so no listing, audit or sweeper sees them; their orders go to a private topic, never to the
 * workers; and all of it is removed afterwards. It stops once the JIT has gone quiet (or after the
 * maximum). If Redis or Kafka is away, a round fails, is cleaned up, and is tried again until they
 * are back.
 */
public final class Warmup {
  private static final Logger log = LoggerFactory.getLogger(Warmup.class);
  private static final int CONNECTIONS = 32;
  private static final int USERS = 4_096;
  private static final long RETRY_MILLIS = 2_000;

  /** The JIT counts as quiet once it compiled for less than this in the last second. */
  private static final long QUIET_COMPILE_MILLIS_PER_SECOND = 20;

  private static final Buffer BODY = Buffer.buffer("{\"quantity\":1}");

  private final Vertx vertx;
  private final Inventory inventory;
  private final SaleCatalog catalog;
  private final OrderPublisher publisher;
  private final Tokens tokens;
  private final LongSupplier ids;
  private final String host;
  private final int port;
  private final Duration max;
  private final AtomicBoolean done = new AtomicBoolean();
  private volatile boolean closed;
  private volatile String state = "not started";

  public Warmup(
      Vertx vertx,
      Inventory inventory,
      SaleCatalog catalog,
      OrderPublisher publisher,
      Tokens tokens,
      LongSupplier ids,
      String host,
      int port,
      Duration max) {
    this.vertx = vertx;
    this.inventory = inventory;
    this.catalog = catalog;
    this.publisher = publisher;
    this.tokens = tokens;
    this.ids = ids;
    this.host = "0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host;
    this.port = port;
    this.max = max;
  }

  /** For /health/ready: succeeds once warm (or when warming is off). */
  public Future<Void> check() {
    return done.get() ? Future.succeededFuture() : Future.failedFuture("warming up: " + state);
  }

  /** Rounds until one succeeds; completes then, with how long it took from the first try. */
  public Future<Duration> start() {
    if (max.isZero()) {
      done.set(true);
      return Future.succeededFuture(Duration.ZERO);
    }
    long begun = System.nanoTime();
    Promise<Duration> warmed = Promise.promise();
    attempt(begun, warmed);
    return warmed.future();
  }

  public void close() {
    closed = true;
  }

  private void attempt(long begun, Promise<Duration> warmed) {
    if (closed) return;
    round()
        .onComplete(
            r -> {
              if (r.succeeded()) {
                Duration took = Duration.ofNanos(System.nanoTime() - begun);
                done.set(true);
                state = "done";
                log.info(
                    "gateway warmed up in {} ms ({} purchases on a private sale); /health/ready now answers 200",
                    took.toMillis(),
                    r.result());
                warmed.complete(took);
              } else {
                state = "retrying (" + r.cause().getMessage() + ")";
                log.warn(
                    "warm-up round failed ({}); retrying in {} ms",
                    r.cause().getMessage(),
                    RETRY_MILLIS);
                vertx.setTimer(RETRY_MILLIS, t -> attempt(begun, warmed));
              }
            });
  }

  /**
   * One round: set up, drive, clean up (whatever happened). Succeeds with the number of purchases
   * admitted.
   */
  private Future<Long> round() {
    Instant now = Instant.now();
    Sale open =
        new Sale(
            ids.getAsLong(),
            "warm-up",
            100_000_000,
            1,
            now.minusSeconds(60),
            now.plusSeconds(3_600),
            1_000_000,
            60);
    Sale soldOut =
        new Sale(
            ids.getAsLong(), "warm-up", 0, 1, now.minusSeconds(60), now.plusSeconds(3_600), 1, 60);
    state = "setting up";
    Future<Long> driven =
        publisher
            .divert(open.id())
            .compose(v -> inventory.loadSale(open))
            .compose(v -> inventory.loadSale(soldOut))
            .compose(
                v -> {
                  catalog.remember(open);
                  catalog.remember(soldOut);
                  state = "driving the purchase path";
                  return drive(open.id(), soldOut.id());
                });
    return driven.transform(
        result ->
            cleanUp(open.id(), soldOut.id())
                .transform(
                    cleaned -> {
                      if (result.failed()) return Future.failedFuture(result.cause());
                      // A round in which Redis or Kafka went away compiled the failure paths, not
                      // the hot path: go again.
                      if (result.result() < 1_000)
                        return Future.failedFuture(
                            "only " + result.result() + " purchases were admitted");
                      return Future.succeededFuture(result.result());
                    }));
  }

  private Future<Void> cleanUp(long open, long soldOut) {
    catalog.forget(open);
    catalog.forget(soldOut);
    return Future.join(inventory.dropSale(open), inventory.dropSale(soldOut))
        .transform(r -> publisher.undivert())
        .recover(
            e -> {
              log.warn(
                  "warm-up clean-up incomplete ({}); its keys expire with nothing else using them",
                  e.getMessage());
              return Future.succeededFuture();
            });
  }

  /** CONNECTIONS request loops until the JIT is quiet or the time is up; the number of 202s. */
  private Future<Long> drive(long open, long soldOut) {
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions().setDefaultHost(host).setDefaultPort(port).setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(CONNECTIONS));
    String[] bearer = new String[USERS];
    for (int i = 0; i < USERS; i++) bearer[i] = "Bearer " + tokens.user("seckill-warmup-" + i, 600);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong sent = new AtomicLong();
    AtomicLong admitted = new AtomicLong();
    String openPath = "/api/sales/" + open + "/purchases";
    String soldOutPath = "/api/sales/" + soldOut + "/purchases";
    Promise<Long> finished = Promise.promise();
    AtomicLong running = new AtomicLong(CONNECTIONS);
    Runnable oneEnded =
        () -> {
          if (running.decrementAndGet() == 0)
            client.close().onComplete(c -> finished.complete(admitted.get()));
        };
    for (int c = 0; c < CONNECTIONS; c++)
      loop(client, bearer, openPath, soldOutPath, stop, sent, admitted, oneEnded);

    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    long deadline = System.currentTimeMillis() + max.toMillis();
    long[] lastCompile = {
      jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0
    };
    long[] lastSent = {0};
    vertx.setPeriodic(
        1_000,
        timer -> {
          long compile =
              jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
          long compiledLastSecond = compile - lastCompile[0];
          lastCompile[0] = compile;
          long total = sent.get();
          long lastSecond = total - lastSent[0];
          lastSent[0] = total;
          state =
              "driving the purchase path ("
                  + total
                  + " requests, JIT "
                  + compiledLastSecond
                  + " ms in the last second)";
          boolean quiet =
              jit.isCompilationTimeMonitoringSupported()
                  && total > 20_000
                  && lastSecond > 0
                  && compiledLastSecond < QUIET_COMPILE_MILLIS_PER_SECOND;
          if (quiet || closed || System.currentTimeMillis() > deadline) {
            vertx.cancelTimer(timer);
            stop.set(true);
          }
        });
    return finished.future();
  }

  /**
   * One connection's requests, one after the other: three of four buy, the fourth meets the
   * sold-out sale.
   */
  private void loop(
      HttpClient client,
      String[] bearer,
      String openPath,
      String soldOutPath,
      AtomicBoolean stop,
      AtomicLong sent,
      AtomicLong admitted,
      Runnable ended) {
    if (stop.get()) {
      ended.run();
      return;
    }
    long n = sent.incrementAndGet();
    boolean toSoldOut = n % 4 == 0;
    client
        .request(HttpMethod.POST, toSoldOut ? soldOutPath : openPath)
        .compose(
            req -> {
              req.putHeader("authorization", bearer[(int) (n % USERS)])
                  .putHeader("content-type", "application/json");
              if (toSoldOut && n % 8 == 0) req.putHeader("idempotency-key", "warm-" + n);
              return req.send(BODY);
            })
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .onComplete(
            r -> {
              if (r.succeeded() && r.result() == 202) admitted.incrementAndGet();
              // a failed request (Redis or Kafka away) pauses this loop a little instead of
              // spinning
              if (r.failed())
                vertx.setTimer(
                    100,
                    t -> loop(client, bearer, openPath, soldOutPath, stop, sent, admitted, ended));
              else loop(client, bearer, openPath, soldOutPath, stop, sent, admitted, ended);
            });
  }
}
