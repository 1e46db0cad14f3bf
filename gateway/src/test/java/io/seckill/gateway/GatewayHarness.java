package io.seckill.gateway;

import static io.seckill.platform.testing.Await.await;

import io.seckill.gateway.config.GatewayConfig;
import io.seckill.inventory.Inventory;
import io.seckill.platform.auth.Tokens;
import io.seckill.platform.config.Env;
import io.seckill.platform.config.Servers;
import io.seckill.platform.contract.OrderMessage;
import io.seckill.platform.store.OrderStore;
import io.seckill.platform.store.Postgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;

/**
 * A real gateway on a free port against the test's servers, plus a client and tokens to talk to it.
 */
final class GatewayHarness implements AutoCloseable {
  final Env env;
  final Vertx vertx = Vertx.vertx();
  final Gateway gateway;
  final WebClient http;
  final Tokens tokens;
  final Inventory inventory;
  final Pool pg;
  final OrderStore store;
  private final Redis redis;

  GatewayHarness(Env env) {
    this.env = env;
    this.gateway = new Gateway(vertx, GatewayConfig.from(env));
    int port = await(gateway.start());
    this.http =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(port)
                .setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(200));
    this.tokens = new Tokens(vertx, GatewayConfig.from(env).jwtSecret());
    Servers servers = Servers.from(env);
    this.redis =
        Redis.createClient(vertx, new RedisOptions().setConnectionString(servers.redisUri()));
    this.inventory = new Inventory(redis, servers.callTimeout());
    this.pg = Postgres.pool(vertx, servers, "gateway-test");
    this.store = new OrderStore(pg, servers.callTimeout());
  }

  /**
   * An order bought through the gateway and persisted as an order worker would (row inserted,
   * reservation forgotten), so it can be paid or cancelled without running a worker. Returns its
   * id.
   */
  long pendingOrder(long saleId, String userId, int paymentTimeoutSeconds) {
    HttpResponse<Buffer> r = await(purchase(saleId, userId, null));
    if (r.statusCode() != 202)
      throw new AssertionError("purchase: " + r.statusCode() + " " + r.bodyAsString());
    long orderId = Long.parseLong(r.bodyAsJsonObject().getString("orderId"));
    var message =
        new OrderMessage(
            orderId, saleId, userId, 1, System.currentTimeMillis(), paymentTimeoutSeconds);
    await(store.insertBatch(List.of(message), Instant.now()));
    await(inventory.forget(saleId, List.of(orderId)));
    return orderId;
  }

  long count(String sql) {
    return await(pg.query(sql).execute()).iterator().next().getLong(0);
  }

  Response redis(Request request) {
    return await(redis.send(request));
  }

  String user(String id) {
    return "Bearer " + tokens.user(id, 3600);
  }

  String admin() {
    return "Bearer " + tokens.admin("admin", 3600);
  }

  /** Creates an active sale through the admin API and returns its id. */
  long createSale(int stock, int perUserLimit, int paymentTimeoutSeconds) {
    JsonObject body =
        new JsonObject()
            .put("item", "phone")
            .put("stock", stock)
            .put("priceCents", 99_900)
            .put("startsAt", Instant.now().minusSeconds(60).toString())
            .put("endsAt", Instant.now().plusSeconds(3600).toString())
            .put("perUserLimit", perUserLimit)
            .put("paymentTimeoutSeconds", paymentTimeoutSeconds);
    HttpResponse<Buffer> r =
        await(http.post("/admin/sales").putHeader("authorization", admin()).sendJsonObject(body));
    if (r.statusCode() != 201)
      throw new AssertionError("create sale: " + r.statusCode() + " " + r.bodyAsString());
    return Long.parseLong(r.bodyAsJsonObject().getString("saleId"));
  }

  Future<HttpResponse<Buffer>> purchase(long saleId, String userId, String idempotencyKey) {
    var req =
        http.post("/api/sales/" + saleId + "/purchases").putHeader("authorization", user(userId));
    if (idempotencyKey != null) req.putHeader("idempotency-key", idempotencyKey);
    return req.sendJsonObject(new JsonObject().put("quantity", 1));
  }

  /**
   * Redis stops answering every client for this long (CLIENT PAUSE), as under a stall or a
   * failover.
   */
  void pauseRedis(long millis) {
    await(redis.send(Request.cmd(Command.CLIENT).arg("PAUSE").arg(millis)));
  }

  long stock(long saleId) {
    return await(inventory.stockLeft(saleId)).orElseThrow();
  }

  private boolean stopped;

  /** Stops the gateway only; the test's own clients stay open. */
  void stopGateway() {
    if (!stopped) await(gateway.close());
    stopped = true;
  }

  @Override
  public void close() {
    stopGateway();
    redis.close();
    await(pg.close());
    await(vertx.close());
  }
}
