package io.seckill.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {
  @Test
  void aCompletedStageGivesItsResult() {
    assertThat(Await.result(CompletableFuture.completedFuture("done"), Duration.ofSeconds(1)))
        .isEqualTo("done");
  }

  @Test
  void aFailedStageThrowsWithItsCause() {
    IllegalArgumentException cause = new IllegalArgumentException("boom");
    assertThatThrownBy(
            () -> Await.result(CompletableFuture.failedFuture(cause), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasCause(cause);
  }

  @Test
  void aStageThatNeverCompletesTimesOut() {
    assertThatThrownBy(() -> Await.result(new CompletableFuture<>(), Duration.ofMillis(50)))
        .isInstanceOf(IllegalStateException.class)
        .hasCauseInstanceOf(TimeoutException.class)
        .hasMessageContaining("50 ms");
  }

  @Test
  void untilPollsUntilTheConditionHolds() {
    AtomicInteger polls = new AtomicInteger();
    assertThat(Await.until(Duration.ofSeconds(5), () -> polls.incrementAndGet() >= 3)).isTrue();
    assertThat(polls.get()).isEqualTo(3);
  }

  @Test
  void untilGivesUpAfterTheTimeout() {
    long start = System.nanoTime();
    assertThat(Await.until(Duration.ofMillis(120), () -> false)).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(120));
  }

  @Test
  void anInterruptedSleepKeepsTheInterruptAndThrows() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> Await.sleep(1000)).isInstanceOf(IllegalStateException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
