package io.seckill.platform.config;

import io.vertx.pgclient.PgConnectOptions;
import java.time.Duration;

/** Where Kafka, Redis and PostgreSQL are, and how long any call to them may take. */
public record Servers(String kafkaBootstrap, String redisUri, String pgUri, int pgPoolSize, int redisPoolSize,
                      Duration callTimeout, Duration kafkaDeliveryTimeout, Topics topics) {

  public static Servers from(Env env) {
    return new Servers(env.get(Settings.KAFKA_BOOTSTRAP), env.get(Settings.REDIS_URI), env.get(Settings.PG_URI),
        env.getInt(Settings.PG_POOL_SIZE), env.getInt(Settings.REDIS_POOL_SIZE), env.getMillis(Settings.CALL_TIMEOUT_MS),
        env.getMillis(Settings.KAFKA_DELIVERY_TIMEOUT_MS), Topics.from(env));
  }

  public PgConnectOptions pgOptions() {
    return PgConnectOptions.fromUri(pgUri).setPipeliningLimit(256);
  }

  /** JDBC form of the same database, for Flyway. */
  public String jdbcUrl() {
    PgConnectOptions o = PgConnectOptions.fromUri(pgUri);
    return "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
  }

  public String pgUser() {
    return PgConnectOptions.fromUri(pgUri).getUser();
  }

  public String pgPassword() {
    return PgConnectOptions.fromUri(pgUri).getPassword();
  }
}
