package io.seckill.launcher;

import io.seckill.infra.DevStack;
import io.seckill.platform.auth.Tokens;
import io.seckill.platform.config.Env;
import io.seckill.platform.config.Settings;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * Embedded Kafka, Redis and PostgreSQL plus every service, in the foreground; Ctrl-C stops all of
 * it.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description =
        "Start embedded Kafka, Redis, PostgreSQL and all services; Ctrl-C stops everything.")
final class UpCommand implements Callable<Integer> {
  @Option(
      names = "--services",
      split = ",",
      paramLabel = "NAME",
      description = "which services to run (default all): gateway, order_worker, delay_service")
  List<ServiceSet.Service> only = new ArrayList<>();

  @Option(
      names = "--expose",
      description =
          "listen on every interface (0.0.0.0) instead of 127.0.0.1: anyone who can"
              + " reach the port can then mint buyer tokens")
  boolean expose;

  @Mixin LogOutput logs = new LogOutput();

  @Unmatched List<String> flags = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    Env base = SettingFlags.apply(Env.system(), flags);
    String logged = logs.apply("up");
    System.out.printf(
        "starting embedded Kafka, Redis, PostgreSQL and the services; their logs: %s%n", logged);
    DevStack stack = DevStack.start(DevStack.Options.defaults());
    Env env = stackEnv(base, stack, expose);
    ServiceSet services;
    try {
      services =
          ServiceSet.start(
              env,
              only.isEmpty() ? EnumSet.allOf(ServiceSet.Service.class) : EnumSet.copyOf(only),
              true);
    } catch (Exception e) {
      stack.close();
      throw e;
    }
    // The stack's own shutdown hook stops the services first, then the servers: Ctrl-C loses
    // nothing.
    stack.beforeClose(services::close);
    printUrls(env, stack, services, logged, (System.nanoTime() - started) / 1_000_000);
    new CountDownLatch(1).await();
    return 0;
  }

  /**
   * The environment pointed at the embedded servers, listening on loopback unless exposed
   * (SECKILL_HTTP_HOST or --expose); everything else as configured.
   */
  static Env stackEnv(Env base, DevStack stack, boolean expose) {
    String host =
        expose
            ? "0.0.0.0"
            : base.isSet(Settings.HTTP_HOST) ? base.get(Settings.HTTP_HOST) : LOOPBACK;
    if (!LOOPBACK.equals(host) && !"localhost".equals(host) && !"::1".equals(host)) {
      boolean publicSecret =
          base.get(Settings.JWT_SECRET).equals(Settings.JWT_SECRET.defaultValue());
      System.err.printf(
          "%nWARNING: listening on %s, not only on this machine: anyone who can reach the port can mint buyer"
              + " tokens at /demo/token%s. Never expose `up` or `demo` to a network you do not trust.%n%n",
          host,
          publicSecret
              ? ", and the development JWT secret (SECKILL_JWT_SECRET unset) is public: anyone can sign an admin token"
              : "");
    }
    return base.with(
        Map.of(
            Settings.HTTP_HOST.env(),
            host,
            Settings.KAFKA_BOOTSTRAP.env(),
            stack.kafkaBootstrap(),
            Settings.REDIS_URI.env(),
            stack.redisUri(),
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
                + stack.pgDatabase()));
  }

  private static final String LOOPBACK = "127.0.0.1";

  /**
   * The dashboard's URL with an admin token in the fragment, as notebook servers do: a fragment is
   * never sent to a server nor put in a Referer, and the page takes it out of the address bar at
   * once, keeping it in memory only.
   */
  static String dashboardUrl(Vertx vertx, Env env, int port, String query) {
    String admin = new Tokens(vertx, env.get(Settings.JWT_SECRET)).admin("admin", 86_400);
    return baseUrl(env, port) + "/dashboard" + query + "#token=" + admin;
  }

  /**
   * Where this machine reaches the gateway: its bind address, or loopback when it listens on every
   * interface.
   */
  static String baseUrl(Env env, int port) {
    String host = env.get(Settings.HTTP_HOST);
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) host = LOOPBACK;
    return "http://"
        + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
        + ":"
        + port;
  }

  private static void printUrls(
      Env env, DevStack stack, ServiceSet services, String logged, long millis) {
    String base = baseUrl(env, services.gatewayPort());
    System.out.printf(
        """

        Seckill is up (%d ms). Ctrl-C stops everything.
          buyer page  %s/
          dashboard   %s
          gateway     %s      (health %s/health/ready, metrics %s/metrics)
          kafka       %s
          redis       %s
          postgresql  %s:%d/%s  user %s
          admin token ./seckill token --admin   (the dashboard URL above carries one)
          user tokens ./seckill token --user <id>
          logs        %s
        %n""",
        millis,
        base,
        dashboardUrl(services.vertx(), env, services.gatewayPort(), ""),
        base,
        base,
        base,
        stack.kafkaBootstrap(),
        stack.redisUri(),
        stack.pgHost(),
        stack.pgPort(),
        stack.pgDatabase(),
        stack.pgUser(),
        logged);
  }
}
