package io.seckill.platform.testing;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;

/** Blocking helpers for test threads (never for an event loop): wait for a future, or pause. */
public final class Await {
  private static final long TIMEOUT_SECONDS = 120;

  private Await() {
  }

  /** The future's result, or an AssertionError if it failed or took longer than two minutes. */
  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
