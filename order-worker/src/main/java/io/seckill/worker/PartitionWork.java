package io.seckill.worker;

import io.seckill.platform.kafka.OffsetTracker;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One assigned partition on the consumer thread: records fetched but not yet cut into a batch, the one batch in
 * flight (one at a time, so records with the same key, which share a partition, are handled in order), and the
 * offsets it may commit. A new object per assignment, so late completions for a revoked partition are recognised.
 */
final class PartitionWork {
  final TopicPartition partition;
  final String name;
  final OffsetTracker tracker = new OffsetTracker();
  private final ArrayDeque<ConsumerRecord<String, byte[]>> buffer = new ArrayDeque<>();
  Batch inFlight;
  /** A batch whose processing failed unexpectedly (a bug, not a server): tried again, not before redoAt. */
  Batch redo;
  long redoAt;
  boolean paused;
  boolean revoked;

  PartitionWork(TopicPartition partition) {
    this.partition = partition;
    this.name = partition.toString();
  }

  void add(List<ConsumerRecord<String, byte[]>> records) {
    buffer.addAll(records);
  }

  int buffered() {
    return buffer.size();
  }

  int unfinished() {
    return buffer.size() + (inFlight == null ? 0 : inFlight.size());
  }

  void dropBuffered() {
    buffer.clear();
  }

  /** The next batch to run, or null if this partition has one running or nothing to run. */
  Batch next(int batchSize, long now) {
    if (inFlight != null) return null;
    if (redo != null) {
      if (now < redoAt) return null;
      Batch b = redo;
      redo = null;
      return b;
    }
    if (buffer.isEmpty()) return null;
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(Math.min(batchSize, buffer.size()));
    while (records.size() < batchSize && !buffer.isEmpty()) records.add(buffer.pollFirst());
    Batch b = Batch.of(partition, records);
    tracker.add(b.firstOffset(), b.lastOffset(), b.size());
    return b;
  }
}
