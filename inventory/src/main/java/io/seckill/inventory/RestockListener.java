package io.seckill.inventory;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells this process when a sale's stock came back from zero, so its sold-out flag clears at once.
 * A dropped subscription reconnects; meanwhile the flag's own short expiry bounds how long it can
 * be wrong.
 */
public final class RestockListener {
  private static final Logger log = LoggerFactory.getLogger(RestockListener.class);
  private static final long RECONNECT_MILLIS = 1000;

  private final Vertx vertx;
  private final Redis redis;
  private final LongConsumer onRestock;
  private volatile boolean closed;
  private volatile RedisConnection connection;

  public RestockListener(Vertx vertx, String redisUri, LongConsumer onRestock) {
    this.vertx = vertx;
    this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUri));
    this.onRestock = onRestock;
  }

  public void start() {
    if (closed) return;
    redis
        .connect()
        .compose(
            conn -> {
              connection = conn;
              conn.handler(this::onMessage);
              conn.endHandler(v -> reconnectLater());
              conn.exceptionHandler(e -> reconnectLater());
              return conn.send(Request.cmd(Command.SUBSCRIBE).arg(RedisKeys.RESTOCK_CHANNEL));
            })
        .onFailure(
            e -> {
              log.warn("restock subscription failed ({}), retrying", e.getMessage());
              reconnectLater();
            });
  }

  private void reconnectLater() {
    RedisConnection c = connection;
    connection = null;
    if (c != null) c.close();
    if (!closed) vertx.setTimer(RECONNECT_MILLIS, t -> start());
  }

  private void onMessage(Response r) {
    // RESP2 delivers [message, channel, payload]; RESP3 the same as a push.
    if (r.size() == 3 && "message".equalsIgnoreCase(r.get(0).toString())) {
      try {
        onRestock.accept(Long.parseLong(r.get(2).toString()));
      } catch (NumberFormatException e) {
        log.warn(
            "ignoring restock message {}", new JsonObject().put("payload", r.get(2).toString()));
      }
    }
  }

  public void close() {
    closed = true;
    RedisConnection c = connection;
    if (c != null) c.close();
    redis.close();
  }
}
