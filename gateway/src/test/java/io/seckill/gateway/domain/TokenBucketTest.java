package io.seckill.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

  @Test
  void aTokenBucketRefusesBeyondItsBurstAndRefills() {
    TokenBucket bucket = new TokenBucket(2, 3, 0);
    assertThat(bucket.tryTake(0)).isZero();
    assertThat(bucket.tryTake(0)).isZero();
    assertThat(bucket.tryTake(0)).isZero();
    assertThat(bucket.tryTake(0)).isPositive();
    assertThat(bucket.tryTake(500_000_000L)).isZero();
  }
}
