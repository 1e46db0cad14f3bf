package io.seckill.inventory;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * A Redis client that pipelines every command on one held connection. The pooled client holds a
 * connection per command until its reply, so a batch of stock returns would run only pool-size at a
 * time; pipelined, a batch of hundreds costs about one round trip. A broken connection is dropped
 * and the next command opens a new one.
 */
public final class PipelinedRedis implements Redis {
  private final Redis pool;
  private Future<RedisConnection> connection;

  public PipelinedRedis(Redis pool) {
    this.pool = pool;
  }

  @Override
  public Future<RedisConnection> connect() {
    return pool.connect();
  }

  @Override
  public Future<Response> send(Request request) {
    return connection().compose(c -> c.send(request));
  }

  @Override
  public Future<List<Response>> batch(List<Request> requests) {
    return connection().compose(c -> c.batch(requests));
  }

  @Override
  public Future<Void> close() {
    Future<RedisConnection> held = drop(null);
    Future<Void> closed =
        held == null
            ? Future.succeededFuture()
            : held.transform(
                ar -> ar.succeeded() ? ar.result().close() : Future.<Void>succeededFuture());
    return closed.eventually(pool::close);
  }

  private synchronized Future<RedisConnection> connection() {
    if (connection == null) {
      Future<RedisConnection> opening = pool.connect();
      connection = opening;
      opening
          .onSuccess(
              c -> {
                c.exceptionHandler(e -> drop(opening));
                c.endHandler(v -> drop(opening));
              })
          .onFailure(e -> drop(opening));
    }
    return connection;
  }

  /** Forgets the held connection if it is still the given one (null: whichever is held). */
  private synchronized Future<RedisConnection> drop(Future<RedisConnection> which) {
    Future<RedisConnection> held = connection;
    if (which == null || held == which) connection = null;
    return held;
  }
}
