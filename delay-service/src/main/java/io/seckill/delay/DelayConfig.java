package io.seckill.delay;

import io.seckill.platform.config.Env;
import io.seckill.platform.config.Servers;
import io.seckill.platform.config.Settings;
import io.seckill.platform.contract.DelayLevels;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/** Everything the delay service reads from its environment, read once at start. */
public record DelayConfig(Servers servers, DelayLevels levels, String group, String clientId, int batchSize,
                          int maxInFlightBatches, int stockReturnsInFlight, Duration commitInterval) {

  public DelayConfig {
    if (batchSize < 1) throw new IllegalArgumentException(Settings.DELAY_BATCH_SIZE.env() + " must be at least 1");
    if (maxInFlightBatches < 1) throw new IllegalArgumentException(Settings.DELAY_MAX_IN_FLIGHT.env() + " must be at least 1");
    if (stockReturnsInFlight < 1) {
      throw new IllegalArgumentException(Settings.DELAY_STOCK_RETURNS_IN_FLIGHT.env() + " must be at least 1");
    }
  }

  public static DelayConfig from(Env env) {
    return new DelayConfig(Servers.from(env), DelayLevels.from(env), env.get(Settings.DELAY_GROUP),
        "delay-service-" + ManagementFactory.getRuntimeMXBean().getName(), env.getInt(Settings.DELAY_BATCH_SIZE),
        env.getInt(Settings.DELAY_MAX_IN_FLIGHT), env.getInt(Settings.DELAY_STOCK_RETURNS_IN_FLIGHT),
        env.getMillis(Settings.DELAY_COMMIT_INTERVAL_MS));
  }
}
