package io.seckill.launcher;

import io.seckill.platform.config.Env;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * One service against external servers, configured by SECKILL_* env vars or flags (the production
 * shape).
 */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description =
        "Run the HTTP gateway against external Kafka, Redis and PostgreSQL (SECKILL_* env vars or flags).")
final class GatewayCommand implements Callable<Integer> {
  @Unmatched List<String> flags = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    return runUntilSignal(
        SettingFlags.apply(Env.system(), flags), EnumSet.of(ServiceSet.Service.GATEWAY));
  }

  @Command(
      name = "order-worker",
      mixinStandardHelpOptions = true,
      description =
          "Run an order worker against external Kafka, Redis and PostgreSQL (SECKILL_* env vars or flags).")
  static final class OrderWorkerCommand implements Callable<Integer> {
    @Unmatched List<String> flags = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      return runUntilSignal(
          SettingFlags.apply(Env.system(), flags), EnumSet.of(ServiceSet.Service.ORDER_WORKER));
    }
  }

  @Command(
      name = "delay-service",
      mixinStandardHelpOptions = true,
      description =
          "Run the delay service against external Kafka, Redis and PostgreSQL (SECKILL_* env vars or flags).")
  static final class DelayServiceCommand implements Callable<Integer> {
    @Unmatched List<String> flags = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      return runUntilSignal(
          SettingFlags.apply(Env.system(), flags), EnumSet.of(ServiceSet.Service.DELAY_SERVICE));
    }
  }

  /** Starts the services and blocks until SIGTERM/SIGINT, then stops them gracefully. */
  static int runUntilSignal(Env env, EnumSet<ServiceSet.Service> services) throws Exception {
    ServiceSet set;
    try {
      set = ServiceSet.start(env, services);
    } catch (IllegalArgumentException badSetting) {
      // A setting that can never work (a weak SECKILL_JWT_SECRET, a bad number): one line, not a
      // stack trace.
      System.err.println("seckill: " + badSetting.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  set.close();
                  stopped.countDown();
                },
                "seckill-shutdown"));
    stopped.await();
    return 0;
  }
}
