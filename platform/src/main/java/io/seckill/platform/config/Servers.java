package io.seckill.platform.config;

import static io.seckill.platform.config.Ranges.atLeast;
import static io.seckill.platform.config.Ranges.notBlank;
import static io.seckill.platform.config.Ranges.positive;

import io.vertx.pgclient.PgConnectOptions;
import java.time.Duration;

/**
 * Where Kafka, Redis and PostgreSQL are, and how long any call to them may take. Validated when
 * built.
 */
public record Servers(
    String kafkaBootstrap,
    String redisUri,
    String pgUri,
    int pgPoolSize,
    int redisPoolSize,
    Duration callTimeout,
    Duration kafkaDeliveryTimeout,
    Topics topics) {

  public Servers {
    notBlank(Settings.KAFKA_BOOTSTRAP, kafkaBootstrap);
    notBlank(Settings.REDIS_URI, redisUri);
    notBlank(Settings.PG_URI, pgUri);
    atLeast(Settings.PG_POOL_SIZE, pgPoolSize, 1);
    atLeast(Settings.REDIS_POOL_SIZE, redisPoolSize, 1);
    positive(Settings.CALL_TIMEOUT_MS, callTimeout);
    positive(Settings.KAFKA_DELIVERY_TIMEOUT_MS, kafkaDeliveryTimeout);
    if (topics == null) throw new IllegalArgumentException("the topics must be named");
  }

  public static Servers from(Env env) {
    return new Servers(
        env.get(Settings.KAFKA_BOOTSTRAP),
        env.get(Settings.REDIS_URI),
        env.get(Settings.PG_URI),
        env.getInt(Settings.PG_POOL_SIZE),
        env.getInt(Settings.REDIS_POOL_SIZE),
        env.getMillis(Settings.CALL_TIMEOUT_MS),
        env.getMillis(Settings.KAFKA_DELIVERY_TIMEOUT_MS),
        Topics.from(env));
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
