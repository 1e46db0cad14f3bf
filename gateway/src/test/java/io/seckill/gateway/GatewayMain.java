package io.seckill.gateway;

import io.seckill.gateway.config.GatewayConfig;
import io.seckill.platform.config.Env;
import io.vertx.core.Vertx;

/**
 * A gateway alone in its own JVM, configured by env vars (tests start it to measure it under a
 * small heap).
 */
public final class GatewayMain {
  private GatewayMain() {}

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    new Gateway(vertx, GatewayConfig.from(Env.system()))
        .start()
        .onSuccess(port -> System.out.println("GATEWAY-PORT " + port))
        .onFailure(
            e -> {
              e.printStackTrace();
              System.exit(1);
            });
  }
}
