package io.seckill.launcher;

import io.seckill.infra.DevStack;
import io.seckill.launcher.demo.Demo;
import io.seckill.platform.config.Env;
import io.seckill.platform.config.Settings;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * Zero-install demo: everything embedded, a sale, a burst of buyers, the report; exit 0 only if
 * every invariant holds.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Start everything embedded, run a sale with a burst of buyers, print the report (exit 1 if an invariant fails).")
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--keep",
      description =
          "keep everything running afterwards (for the page and the dashboard); Ctrl-C stops")
  boolean keep;

  @Option(
      names = "--buyers",
      defaultValue = "5000",
      description = "buyers in the burst (default ${DEFAULT-VALUE})")
  int buyers;

  @Option(
      names = "--stock",
      defaultValue = "1000",
      description = "units on sale (default ${DEFAULT-VALUE})")
  int stock;

  @Option(
      names = "--payment-timeout",
      defaultValue = "5",
      description = "seconds to pay (default ${DEFAULT-VALUE})")
  int paymentTimeout;

  @Option(
      names = "--concurrency",
      defaultValue = "200",
      description = "buyers in flight at once (default ${DEFAULT-VALUE})")
  int concurrency;

  @Option(
      names = "--expose",
      description = "listen on every interface (0.0.0.0) instead of 127.0.0.1")
  boolean expose;

  @Mixin LogOutput logs = new LogOutput();
  @Unmatched List<String> flags = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    Env base = SettingFlags.apply(Env.system(), flags);
    String logged = logs.apply("demo");
    System.out.printf(
        "starting embedded Kafka, Redis, PostgreSQL and the services; their logs: %s%n", logged);
    DevStack stack = DevStack.start(DevStack.Options.defaults());
    ServiceSet services = null;
    boolean ok;
    try {
      Env env = UpCommand.stackEnv(base, stack, expose);
      services = ServiceSet.start(env, EnumSet.allOf(ServiceSet.Service.class), true);
      System.out.printf(
          "up in %.1f s; gateway on %s%n",
          (System.nanoTime() - started) / 1e9, UpCommand.baseUrl(env, services.gatewayPort()));
      Demo demo =
          new Demo(
              services.vertx(), services.gatewayPort(), base.get(Settings.JWT_SECRET), System.out);
      ok = demo.run(new Demo.Options(buyers, stock, paymentTimeout, concurrency));
      System.out.printf(
          "demo finished in %.1f s; the services' logs: %s%n",
          (System.nanoTime() - started) / 1e9, logged);
      if (keep) {
        System.out.printf(
            "kept running (Ctrl-C stops everything):%n  buyer page  %s/?sale=%d%n  dashboard   %s%n",
            UpCommand.baseUrl(env, services.gatewayPort()),
            demo.saleId(),
            UpCommand.dashboardUrl(
                services.vertx(), env, services.gatewayPort(), "?sale=" + demo.saleId()));
        stack.beforeClose(services::close);
        services = null;
        new CountDownLatch(1).await();
      }
    } finally {
      if (services != null) services.close();
      if (!keep) stack.close();
    }
    return ok ? 0 : 1;
  }
}
