package io.seckill.judge;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Blocking waits for the threads that drive a run or a test (never for an event loop): the result
 * of an asynchronous call, a condition polled until it holds, a pause. Vert.x futures come in by
 * {@code future.toCompletionStage()}.
 */
public final class Await {
  private static final long POLL_MILLIS = 50;

  private Await() {}

  /**
   * The stage's result; an {@link IllegalStateException} (cause: the failure) if it failed, or if
   * it took longer than {@code timeout} (cause: a {@link TimeoutException}).
   */
  public static <T> T result(CompletionStage<T> stage, Duration timeout) {
    try {
      return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(String.valueOf(e.getCause()), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no result within " + timeout.toMillis() + " ms", e);
    }
  }

  /** Polls {@code condition} until it holds or {@code timeout} passes; returns whether it held. */
  public static boolean until(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) return false;
      sleep(POLL_MILLIS);
    }
    return true;
  }

  /**
   * Sleeps; an interrupt is kept on the thread and ends the wait with an {@link
   * IllegalStateException}.
   */
  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sleeping", e);
    }
  }
}
