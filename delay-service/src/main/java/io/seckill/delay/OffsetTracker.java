package io.seckill.delay;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The offsets of one partition that may be committed: batches finish in any order, but the committed offset only
 * moves past a batch once every batch before it has finished, so a crash never skips unfinished work.
 */
final class OffsetTracker {
  private static final class Range {
    final long first;
    final long last;
    boolean done;

    Range(long first, long last) {
      this.first = first;
      this.last = last;
    }
  }

  private final ArrayDeque<Range> open = new ArrayDeque<>();
  private long committable = -1;
  private long committed = -1;

  void dispatched(long firstOffset, long lastOffset) {
    if (!open.isEmpty() && firstOffset <= open.peekLast().last) {
      throw new IllegalArgumentException("offsets " + firstOffset + ".." + lastOffset + " overlap dispatched work");
    }
    open.addLast(new Range(firstOffset, lastOffset));
  }

  void finished(long firstOffset) {
    for (Iterator<Range> it = open.iterator(); it.hasNext(); ) {
      Range r = it.next();
      if (r.first == firstOffset) {
        r.done = true;
        break;
      }
    }
    while (!open.isEmpty() && open.peekFirst().done) {
      committable = open.pollFirst().last + 1;
    }
  }

  /** The offset to commit (the next one to read), or -1 if nothing new finished since the last commit. */
  long toCommit() {
    return committable > committed ? committable : -1;
  }

  void committed(long offset) {
    committed = Math.max(committed, offset);
  }

  boolean idle() {
    return open.isEmpty();
  }

  int openBatches() {
    return open.size();
  }
}
