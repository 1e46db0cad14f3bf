package io.seckill.launcher;

import io.seckill.infra.DevStack;
import io.seckill.platform.auth.Tokens;
import io.seckill.platform.config.Env;
import io.seckill.platform.config.Settings;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** Embedded Kafka, Redis and PostgreSQL plus every service, in the foreground; Ctrl-C stops all of it. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Start embedded Kafka, Redis, PostgreSQL and all services; Ctrl-C stops everything.")
final class UpCommand implements Callable<Integer> {
  @Option(names = "--services", split = ",", paramLabel = "NAME",
      description = "which services to run (default all): gateway, order_worker, delay_service")
  List<ServiceSet.Service> only = new ArrayList<>();

  @Unmatched
  List<String> flags = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    Env base = SettingFlags.apply(Env.system(), flags);
    DevStack stack = DevStack.start(DevStack.Options.defaults());
    ServiceSet services;
    try {
      services = ServiceSet.start(stackEnv(base, stack),
          only.isEmpty() ? EnumSet.allOf(ServiceSet.Service.class) : EnumSet.copyOf(only));
    } catch (Exception e) {
      stack.close();
      throw e;
    }
    // The stack's own shutdown hook stops the services first, then the servers: Ctrl-C loses nothing.
    stack.beforeClose(services::close);
    printUrls(base, stack, services, (System.nanoTime() - started) / 1_000_000);
    new CountDownLatch(1).await();
    return 0;
  }

  /** The environment pointed at the embedded servers; everything else as configured. */
  static Env stackEnv(Env base, DevStack stack) {
    return base.with(Settings.DEMO_TOKENS, true).with(Map.of(
        Settings.KAFKA_BOOTSTRAP.env(), stack.kafkaBootstrap(),
        Settings.REDIS_URI.env(), stack.redisUri(),
        Settings.PG_URI.env(), "postgresql://" + stack.pgUser() + ":" + stack.pgPassword() + "@" + stack.pgHost() + ":"
            + stack.pgPort() + "/" + stack.pgDatabase()));
  }

  private static void printUrls(Env env, DevStack stack, ServiceSet services, long millis) {
    String base = "http://localhost:" + services.gatewayPort();
    String admin = new Tokens(services.vertx(), env.get(Settings.JWT_SECRET)).admin("admin", 86_400);
    System.out.printf("""

        Seckill is up (%d ms). Ctrl-C stops everything.
          buyer page  %s/
          dashboard   %s/dashboard
          gateway     %s      (health %s/health/ready, metrics %s/metrics)
          kafka       %s
          redis       %s
          postgresql  %s:%d/%s  user %s
          admin token %s
          user tokens ./seckill token --user <id>
        %n""", millis, base, base, base, base, base, stack.kafkaBootstrap(), stack.redisUri(), stack.pgHost(), stack.pgPort(),
        stack.pgDatabase(), stack.pgUser(), admin);
  }
}
