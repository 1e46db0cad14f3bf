package io.seckill.platform.testing;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * The tests' short names for {@link io.seckill.judge.Await} (the one implementation of waiting): a
 * Vert.x future's result, or a pause. Blocking: for test threads, never for an event loop.
 */
public final class Await {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private Await() {}

  /** The future's result; fails the test if it failed or took longer than two minutes. */
  public static <T> T await(Future<T> future) {
    return io.seckill.judge.Await.result(future.toCompletionStage(), TIMEOUT);
  }

  /** The future's result; fails if it failed or took longer than {@code timeoutSeconds}. */
  public static <T> T await(Future<T> future, long timeoutSeconds) {
    return io.seckill.judge.Await.result(
        future.toCompletionStage(), Duration.ofSeconds(timeoutSeconds));
  }

  public static void sleep(long millis) {
    io.seckill.judge.Await.sleep(millis);
  }
}
