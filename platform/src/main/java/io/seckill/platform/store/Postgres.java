package io.seckill.platform.store;

import io.seckill.platform.config.Servers;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;

/**
 * The reactive PostgreSQL pool every service uses; waiting for a connection is bounded like any
 * other call.
 */
public final class Postgres {
  private Postgres() {}

  /**
   * A pool shared by the verticles of one service (same name), separate from the other services'
   * pools when several run in one process (`seckill up`), so a worker's batch inserts never queue
   * behind the gateway's reads.
   */
  public static Pool pool(Vertx vertx, Servers servers, String service) {
    PoolOptions pool =
        new PoolOptions()
            .setMaxSize(servers.pgPoolSize())
            .setMaxWaitQueueSize(10_000)
            .setConnectionTimeout((int) servers.callTimeout().toMillis())
            .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
            .setShared(true)
            .setName("seckill-pg-" + service + "-" + servers.pgUri().hashCode());
    return PgBuilder.pool().with(pool).connectingTo(servers.pgOptions()).using(vertx).build();
  }
}
