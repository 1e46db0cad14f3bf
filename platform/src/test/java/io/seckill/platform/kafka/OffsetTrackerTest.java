package io.seckill.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

  @Test
  void nothing_is_committable_before_a_batch_finishes() {
    OffsetTracker t = new OffsetTracker();
    t.add(0, 99, 100);
    assertThat(t.committable()).isEqualTo(-1);
    assertThat(t.hasUncommitted()).isFalse();
  }

  @Test
  void a_finished_batch_makes_the_next_offset_committable() {
    OffsetTracker t = new OffsetTracker();
    t.add(0, 99, 100);
    t.finish(0);
    assertThat(t.committable()).isEqualTo(100);
    assertThat(t.hasUncommitted()).isTrue();
    assertThat(t.finishedSinceCommit()).isEqualTo(100);
  }

  @Test
  void the_commit_never_passes_the_first_unfinished_batch() {
    OffsetTracker t = new OffsetTracker();
    t.add(0, 9, 10);
    t.add(10, 19, 10);
    t.add(20, 29, 10);
    t.finish(20);
    t.finish(10);
    assertThat(t.committable()).isEqualTo(-1);
    t.finish(0);
    assertThat(t.committable()).isEqualTo(30);
    assertThat(t.finishedSinceCommit()).isEqualTo(30);
  }

  @Test
  void out_of_order_completion_advances_only_to_the_gap() {
    OffsetTracker t = new OffsetTracker();
    t.add(0, 9, 10);
    t.add(10, 19, 10);
    t.add(20, 29, 10);
    t.finish(0);
    t.finish(20);
    assertThat(t.committable()).isEqualTo(10);
    t.finish(10);
    assertThat(t.committable())
        .as("the gap closed, the finished batch after it counts")
        .isEqualTo(30);
  }

  @Test
  void offset_gaps_inside_and_between_batches_are_allowed() {
    OffsetTracker t = new OffsetTracker();
    t.add(5, 12, 3);
    t.add(20, 20, 1);
    t.finish(5);
    assertThat(t.committable()).isEqualTo(13);
    t.finish(20);
    assertThat(t.committable()).isEqualTo(21);
    assertThat(t.finishedSinceCommit()).isEqualTo(4);
  }

  @Test
  void committing_resets_the_count_and_the_pending_flag() {
    OffsetTracker t = new OffsetTracker();
    t.add(0, 9, 10);
    t.finish(0);
    t.committed(t.committable());
    assertThat(t.hasUncommitted()).isFalse();
    assertThat(t.finishedSinceCommit()).isZero();
    t.add(10, 14, 5);
    t.finish(10);
    assertThat(t.hasUncommitted()).isTrue();
    assertThat(t.finishedSinceCommit()).isEqualTo(5);
  }

  @Test
  void an_older_commit_acknowledgement_does_not_move_the_position_back() {
    OffsetTracker t = new OffsetTracker();
    t.add(0, 9, 10);
    t.finish(0);
    t.committed(10);
    t.committed(3);
    assertThat(t.hasUncommitted()).isFalse();
  }

  @Test
  void finishing_an_unknown_batch_changes_nothing() {
    OffsetTracker t = new OffsetTracker();
    t.add(0, 9, 10);
    assertThat(t.finish(7)).isFalse();
    assertThat(t.committable()).isEqualTo(-1);
  }

  @Test
  void batches_must_be_added_in_offset_order() {
    OffsetTracker t = new OffsetTracker();
    t.add(10, 19, 10);
    assertThatThrownBy(() -> t.add(5, 9, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> t.add(19, 25, 7)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> t.add(30, 29, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void an_offset_is_offered_for_commit_only_until_it_is_committed() {
    OffsetTracker t = new OffsetTracker();
    t.add(3, 4, 2);
    t.finish(3);
    t.committed(5);
    assertThat(t.hasUncommitted()).isFalse();
    assertThat(t.finishedSinceCommit()).isZero();
  }
}
