package io.seckill.platform.kafka;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * One partition's commit position. Batches are registered in offset order as they are cut and may
 * finish in any order; the committable offset never passes the first record of a batch not yet
 * finished, so a crash can re-deliver an unfinished tail but never skip a record. The consumer loop
 * keeps one per partition it owns; confined to the consumer thread.
 */
public final class OffsetTracker {
  private static final class Range {
    final long first;
    final long last;
    final int records;
    boolean finished;

    Range(long first, long last, int records) {
      this.first = first;
      this.last = last;
      this.records = records;
    }
  }

  private final ArrayDeque<Range> open = new ArrayDeque<>();
  private long highestAdded = -1;
  private long finishedPosition = -1;
  private long committed = -1;
  private long finishedSinceCommit;

  /**
   * Registers a batch covering offsets first..last (gaps allowed: compaction, transaction markers).
   */
  public void add(long first, long last, int records) {
    if (first > last || first <= highestAdded) {
      throw new IllegalArgumentException(
          "batch " + first + ".." + last + " is not after offset " + highestAdded);
    }
    open.addLast(new Range(first, last, records));
    highestAdded = last;
  }

  /**
   * Marks the batch starting at first finished; returns false if no such batch is open (e.g.
   * dropped on revocation).
   */
  public boolean finish(long first) {
    for (Iterator<Range> it = open.iterator(); it.hasNext(); ) {
      Range r = it.next();
      if (r.first == first) {
        r.finished = true;
        advance();
        return true;
      }
    }
    return false;
  }

  private void advance() {
    while (!open.isEmpty() && open.peekFirst().finished) {
      Range r = open.removeFirst();
      finishedPosition = r.last + 1;
      finishedSinceCommit += r.records;
    }
  }

  /**
   * The offset to commit (the next record to read), or -1 if nothing finished since this tracker
   * began.
   */
  public long committable() {
    return finishedPosition;
  }

  public boolean hasUncommitted() {
    return finishedPosition > committed;
  }

  /**
   * Records finished past the last commit, which the count-based commit trigger adds up across
   * partitions.
   */
  public long finishedSinceCommit() {
    return finishedSinceCommit;
  }

  public void committed(long offset) {
    if (offset > committed) committed = offset;
    if (committed >= finishedPosition) finishedSinceCommit = 0;
  }
}
