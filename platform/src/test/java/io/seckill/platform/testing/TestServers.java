package io.seckill.platform.testing;

import io.seckill.infra.DevStack;
import io.seckill.platform.config.Env;
import io.seckill.platform.config.Servers;
import io.seckill.platform.config.Settings;
import io.seckill.platform.contract.DelayLevels;
import io.seckill.platform.kafka.TopicSetup;
import io.seckill.platform.store.Migrations;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Configuration for one integration test against the JVM's shared dev stack: its own topics, its
 * own freshly migrated database, so tests never see each other's data. Redis keys are per sale, and
 * sale ids are unique, so Redis is shared.
 */
public final class TestServers {
  private TestServers() {}

  public static Env env(String testName) {
    return env(testName, Map.of());
  }

  public static Env env(String testName, Map<String, String> overrides) {
    DevStack stack = DevStack.shared();
    String suffix = testName.replaceAll("[^A-Za-z0-9]", "").toLowerCase();
    suffix =
        suffix.substring(0, Math.min(20, suffix.length()))
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    String db = stack.createDatabase("t_" + suffix.replace('-', '_'));
    Map<String, String> values = new HashMap<>();
    values.put(Settings.KAFKA_BOOTSTRAP.env(), stack.kafkaBootstrap());
    values.put(Settings.REDIS_URI.env(), stack.redisUri());
    values.put(
        Settings.PG_URI.env(),
        "postgresql://"
            + stack.pgUser()
            + ":"
            + stack.pgPassword()
            + "@"
            + stack.pgHost()
            + ":"
            + stack.pgPort()
            + "/"
            + db);
    values.put(Settings.TOPIC_ORDERS.env(), "orders-" + suffix);
    values.put(Settings.TOPIC_DELAY.env(), "delay-" + suffix);
    values.put(Settings.TOPIC_DEAD_LETTER.env(), "dead-letter-" + suffix);
    values.put(Settings.ORDERS_PARTITIONS.env(), "6");
    values.put(Settings.WORKER_GROUP.env(), "worker-" + suffix);
    values.put(Settings.DELAY_GROUP.env(), "delay-" + suffix);
    values.put(Settings.HTTP_PORT.env(), "0");
    values.put(Settings.HTTP_HOST.env(), "127.0.0.1");
    values.put(Settings.SHUTDOWN_GRACE_MS.env(), "0");
    // A strong secret of its own, as production requires (the gateway command refuses the public
    // default).
    values.put(Settings.JWT_SECRET.env(), "test-" + UUID.randomUUID() + UUID.randomUUID());
    values.put(Settings.WARMUP_SECONDS.env(), "0"); // tests that want the warm-up turn it on
    values.putAll(overrides);
    Env env = Env.system().with(values);
    Servers servers = Servers.from(env);
    Migrations.apply(servers);
    TopicSetup.ensure(servers, DelayLevels.from(env));
    return env;
  }
}
