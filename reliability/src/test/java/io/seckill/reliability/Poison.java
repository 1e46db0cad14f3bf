package io.seckill.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.contract.DeadLetters;
import io.seckill.platform.kafka.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Malformed records for each consumer: the order workers (orders topic) and the delay service
 * (delay topic). Each is keyed run-o-N / run-d-N so its dead letter can be found; every one of them
 * must reach the dead-letter topic, with a reason, and the consumers must go on.
 */
final class Poison {
  record Sent(int orders, int delay, Set<String> expectDeadLettered) {}

  static List<byte[]> orderCorpus(Random rnd) {
    List<String> json =
        List.of(
            "",
            "not json",
            "[]",
            "{}",
            "null",
            "123",
            "\"an order\"",
            "{\"orderId\":",
            "{\"orderId\":\"1\"}",
            "{\"orderId\":1,\"saleId\":\"1\",\"userId\":\"u\",\"quantity\":1,\"admittedAt\":1,\"paymentTimeoutSeconds\":60}",
            "{\"orderId\":\"-5\",\"saleId\":\"1\",\"userId\":\"u\",\"quantity\":1,\"admittedAt\":1,\"paymentTimeoutSeconds\":60}",
            "{\"orderId\":\"0\",\"saleId\":\"1\",\"userId\":\"u\",\"quantity\":1,\"admittedAt\":1,\"paymentTimeoutSeconds\":60}",
            "{\"orderId\":\"abc\",\"saleId\":\"1\",\"userId\":\"u\",\"quantity\":1,\"admittedAt\":1,\"paymentTimeoutSeconds\":60}",
            "{\"orderId\":\"99999999999999999999999\",\"saleId\":\"1\",\"userId\":\"u\",\"quantity\":1,\"admittedAt\":1,\"paymentTimeoutSeconds\":60}",
            "{\"orderId\":\"7\",\"saleId\":\"1\",\"userId\":\"\",\"quantity\":1,\"admittedAt\":1,\"paymentTimeoutSeconds\":60}",
            "{\"orderId\":\"7\",\"saleId\":\"1\",\"userId\":42,\"quantity\":1,\"admittedAt\":1,\"paymentTimeoutSeconds\":60}",
            "{\"orderId\":\"7\",\"saleId\":\"1\",\"userId\":\"u\",\"quantity\":0,\"admittedAt\":1,\"paymentTimeoutSeconds\":60}",
            "{\"orderId\":\"7\",\"saleId\":\"1\",\"userId\":\"u\",\"quantity\":1.5,\"admittedAt\":1,\"paymentTimeoutSeconds\":60}",
            "{\"orderId\":\"7\",\"saleId\":\"1\",\"userId\":\"u\",\"quantity\":\"1\",\"admittedAt\":1,\"paymentTimeoutSeconds\":60}",
            "{\"orderId\":\"7\",\"saleId\":\"1\",\"userId\":\"u\",\"quantity\":1e300,\"admittedAt\":1,\"paymentTimeoutSeconds\":60}",
            "{\"orderId\":\"7\",\"saleId\":\"1\",\"userId\":\"u\",\"quantity\":4294967296,\"admittedAt\":1,\"paymentTimeoutSeconds\":60}",
            "{\"orderId\":\"7\",\"saleId\":\"1\",\"userId\":\"u\",\"quantity\":1,\"admittedAt\":\"yesterday\",\"paymentTimeoutSeconds\":60}",
            "{\"orderId\":\"7\",\"saleId\":\"1\",\"userId\":\"u\",\"quantity\":1,\"admittedAt\":1,\"paymentTimeoutSeconds\":-1}",
            "{\"orderId\":\"7\",\"saleId\":null,\"userId\":\"u\",\"quantity\":1,\"admittedAt\":1,\"paymentTimeoutSeconds\":60}",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
            "{\"orderId\":\"7\",\"orderId\":{\"nested\":true}}");
    List<byte[]> out = new ArrayList<>();
    for (String s : json) out.add(s.getBytes(StandardCharsets.UTF_8));
    out.add(null); // a tombstone
    byte[] random = new byte[512];
    rnd.nextBytes(random);
    out.add(random);
    out.add(new byte[] {(byte) 0xff, (byte) 0xfe, '{', '}'}); // invalid UTF-8
    out.add(
        ("{\"pad\":\"" + "x".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8)); // large
    // Well-formed, but no admission exists for it: the claim answers UNKNOWN and the worker
    // dead-letters it.
    long orderId = 8_000_000_000_000_000_000L + rnd.nextInt(1_000_000_000);
    out.add(
        ("{\"orderId\":\""
                + orderId
                + "\",\"saleId\":\"424242\",\"userId\":\"ghost\",\"quantity\":1,\"admittedAt\":"
                + System.currentTimeMillis()
                + ",\"paymentTimeoutSeconds\":60}")
            .getBytes(StandardCharsets.UTF_8));
    return out;
  }

  static List<byte[]> delayCorpus(Random rnd) {
    List<String> json =
        List.of(
            "",
            "not json",
            "[]",
            "{}",
            "null",
            "-1",
            "{\"orderId\":",
            "{\"orderId\":5,\"saleId\":\"1\",\"dueAt\":1}",
            "{\"orderId\":\"-5\",\"saleId\":\"1\",\"dueAt\":1}",
            "{\"orderId\":\"x\",\"saleId\":\"1\",\"dueAt\":1}",
            "{\"orderId\":\"5\",\"saleId\":\"1\",\"dueAt\":\"soon\"}",
            "{\"orderId\":\"5\",\"saleId\":\"1\",\"dueAt\":-3}",
            "{\"orderId\":\"5\",\"saleId\":\"1\",\"dueAt\":1.25}",
            "{\"orderId\":\"5\",\"saleId\":\"1\"}",
            "{\"orderId\":\"5\",\"saleId\":\"99999999999999999999999\",\"dueAt\":1}",
            "{\"orderId\":\"5\",\"saleId\":\"1\",\"dueAt\":1e400}");
    List<byte[]> out = new ArrayList<>();
    for (String s : json) out.add(s.getBytes(StandardCharsets.UTF_8));
    out.add(null);
    byte[] random = new byte[256];
    rnd.nextBytes(random);
    out.add(random);
    out.add(new byte[] {(byte) 0xc3, (byte) 0x28});
    return out;
  }

  /**
   * Sends the corpora `repeat` times; returns the keys that must show up on the dead-letter topic.
   */
  static Sent send(Pipeline p, String run, int repeat) throws Exception {
    Random rnd = new Random(run.hashCode());
    Set<String> expect = new HashSet<>();
    int orders = 0;
    int delay = 0;
    Map<String, Object> config = KafkaClients.producer(p.servers, "reliability-poison");
    config.put("max.request.size", 1_048_576);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
      int delayPartitions = producer.partitionsFor(p.servers.topics().delay()).size();
      for (int r = 0; r < repeat; r++) {
        for (byte[] v : orderCorpus(rnd)) {
          String key = run + "-o-" + orders++;
          expect.add(key);
          producer
              .send(new ProducerRecord<>(p.servers.topics().orders(), key, v))
              .get(30, TimeUnit.SECONDS);
        }
        for (byte[] v : delayCorpus(rnd)) {
          String key = run + "-d-" + delay++;
          expect.add(key);
          // the short levels (1-8 s): a level is FIFO, so a record waits behind a head not yet due
          // (up to that level's delay)
          producer
              .send(
                  new ProducerRecord<>(
                      p.servers.topics().delay(), delay % Math.min(4, delayPartitions), key, v))
              .get(30, TimeUnit.SECONDS);
        }
      }
    }
    return new Sent(orders, delay, expect);
  }

  /** Every poison record of this run is on the dead-letter topic with a reason header. */
  static void assertDeadLettered(Pipeline p, String run, Sent sent) {
    Map<String, String> reasons = new HashMap<>();
    Map<String, Object> config =
        KafkaClients.consumer(
            p.servers, "reliability-dlt-reader-" + System.nanoTime(), "dlt-reader");
    config.put("max.partition.fetch.bytes", 2_097_152);
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config)) {
      List<TopicPartition> parts =
          c.partitionsFor(p.servers.topics().deadLetter()).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      long deadline = System.currentTimeMillis() + 90_000;
      while (System.currentTimeMillis() < deadline
          && !reasons.keySet().containsAll(sent.expectDeadLettered())) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
          if (r.key() == null || !r.key().startsWith(run + "-")) continue;
          var h = r.headers().lastHeader(DeadLetters.REASON);
          reasons.put(r.key(), h == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
        }
      }
    }
    Set<String> missing = new HashSet<>(sent.expectDeadLettered());
    missing.removeAll(reasons.keySet());
    Results.note(
        p,
        "dead-letters.log",
        run
            + ": "
            + reasons.size()
            + " dead-lettered of "
            + sent.expectDeadLettered().size()
            + "; reasons: "
            + new TreeSet<>(reasons.values()));
    assertThat(missing).as("poison records never dead-lettered").isEmpty();
    assertThat(reasons.values()).as("every dead letter says why").allMatch(s -> !s.isBlank());
  }
}
