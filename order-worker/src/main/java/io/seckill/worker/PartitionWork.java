package io.seckill.worker;

import io.seckill.platform.kafka.ConsumerPolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The worker's policy for one assigned partition: records are cut into batches as they come, one
 * batch in flight at a time (records with the same key share a partition, so an order's events are
 * handled in order). Fetching pauses once enough is buffered to cut the next batch at once, and
 * resumes below half of that, so it does not flap.
 */
final class PartitionWork implements ConsumerPolicy.Lane<Batch> {
  private final TopicPartition partition;
  private final int batchSize;
  private final int maxBuffered;
  private final ArrayDeque<ConsumerRecord<String, byte[]>> buffer = new ArrayDeque<>();
  private boolean full;

  PartitionWork(TopicPartition partition, int batchSize, int maxBuffered) {
    this.partition = partition;
    this.batchSize = batchSize;
    this.maxBuffered = maxBuffered;
  }

  @Override
  public void add(List<ConsumerRecord<String, byte[]>> records) {
    buffer.addAll(records);
  }

  @Override
  public Batch next(int busy, long nowMillis) {
    if (busy > 0 || buffer.isEmpty()) return null;
    List<ConsumerRecord<String, byte[]>> records =
        new ArrayList<>(Math.min(batchSize, buffer.size()));
    while (records.size() < batchSize && !buffer.isEmpty()) records.add(buffer.pollFirst());
    return Batch.of(partition, records);
  }

  @Override
  public long readyAt() {
    return Long.MAX_VALUE;
  }

  @Override
  public boolean holdFetching() {
    if (!full && buffer.size() >= maxBuffered) full = true;
    else if (full && buffer.size() < maxBuffered / 2) full = false;
    return full;
  }

  @Override
  public int buffered() {
    return buffer.size();
  }

  @Override
  public void clear() {
    buffer.clear();
  }
}
