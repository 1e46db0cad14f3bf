package io.seckill.delay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  @Test
  void percentilesAreExactToTheMillisecond() {
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 1; i <= 100; i++) h.record(i);
    assertThat(h.percentile(0.50)).isEqualTo(50);
    assertThat(h.percentile(0.99)).isEqualTo(99);
    assertThat(h.max()).isEqualTo(100);
    assertThat(h.count()).isEqualTo(100);
  }

  @Test
  void anEarlyActionCountsAsZeroAndAVeryLateOneKeepsItsMaximum() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(-30);
    h.record(3_600_000);
    assertThat(h.percentile(0.5)).isZero();
    assertThat(h.percentile(1.0)).isEqualTo(3_600_000);
  }

  @Test
  void anEmptyHistogramReportsZero() {
    assertThat(new LatencyHistogram().percentile(0.99)).isZero();
  }
}
