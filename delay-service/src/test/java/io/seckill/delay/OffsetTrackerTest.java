package io.seckill.delay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  final OffsetTracker t = new OffsetTracker();

  @Test
  void nothingIsCommittableBeforeAnyBatchFinishes() {
    t.dispatched(0, 9);
    assertThat(t.toCommit()).isEqualTo(-1);
  }

  @Test
  void aFinishedBatchMakesTheOffsetAfterItCommittable() {
    t.dispatched(0, 9);
    t.finished(0);
    assertThat(t.toCommit()).isEqualTo(10);
    assertThat(t.idle()).isTrue();
  }

  @Test
  void aLaterBatchFinishingFirstDoesNotMoveTheCommitPastUnfinishedWork() {
    t.dispatched(0, 9);
    t.dispatched(10, 19);
    t.finished(10);
    assertThat(t.toCommit()).isEqualTo(-1);
    t.finished(0);
    assertThat(t.toCommit()).isEqualTo(20);
  }

  @Test
  void anOffsetIsOfferedForCommitOnlyUntilItIsCommitted() {
    t.dispatched(3, 4);
    t.finished(3);
    t.committed(5);
    assertThat(t.toCommit()).isEqualTo(-1);
  }

  @Test
  void overlappingWorkIsABug() {
    t.dispatched(0, 9);
    assertThatThrownBy(() -> t.dispatched(5, 12)).isInstanceOf(IllegalArgumentException.class);
  }
}
