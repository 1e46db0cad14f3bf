package io.seckill.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ThreeBrokerKafkaIT {

  private static DevStack stack;

  @BeforeAll
  static void startThreeBrokers() {
    stack = DevStack.start(DevStack.Options.defaults().withKafkaBrokers(3));
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void threeBrokerClusterKeepsAcceptingAcksAllWritesWithOneBrokerDown() throws Exception {
    EmbeddedKafka kafka = stack.kafka();
    assertThat(stack.kafkaBootstrap().split(",")).hasSize(3);
    assertThat(kafka.replicationFactor()).isEqualTo(3);
    String topic = "orders-replicated";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrap()));
        KafkaProducer<String, String> producer =
            new KafkaProducer<>(
                Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    stack.kafkaBootstrap(),
                    ProducerConfig.ACKS_CONFIG,
                    "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                    true,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                    60_000),
                new StringSerializer(),
                new StringSerializer())) {
      // no replication factor given: the broker default (3) applies
      admin
          .createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())))
          .all()
          .get(30, TimeUnit.SECONDS);
      assertThat(partition(admin, topic).replicas()).hasSize(3);
      send(producer, topic, "before");

      int leader = partition(admin, topic).leader().id();
      int down = kafka.brokerIndex(leader);
      kafka.stopBroker(down);
      assertThat(kafka.isBrokerRunning(down)).isFalse();

      RecordMetadata written = send(producer, topic, "while-one-is-down");
      assertThat(written.offset()).isEqualTo(1);
      // brokers' metadata caches follow the controller with a small lag
      long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      TopicPartitionInfo degraded = partition(admin, topic);
      while ((degraded.leader().id() == leader || degraded.isr().size() != 2)
          && System.nanoTime() < settle) {
        Thread.sleep(100);
        degraded = partition(admin, topic);
      }
      assertThat(degraded.leader().id()).isNotEqualTo(leader);
      assertThat(degraded.isr()).hasSize(2);

      kafka.startBroker(down);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (partition(admin, topic).isr().size() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(partition(admin, topic).isr()).hasSize(3);
      assertThat(send(producer, topic, "after").offset()).isEqualTo(2);
    }
  }

  private static RecordMetadata send(
      KafkaProducer<String, String> producer, String topic, String value) throws Exception {
    return producer.send(new ProducerRecord<>(topic, value, value)).get(60, TimeUnit.SECONDS);
  }

  /** Retries while the broker asked has not yet heard of a topic the controller just created. */
  private static TopicPartitionInfo partition(Admin admin, String topic) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        TopicDescription description =
            admin
                .describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic);
        return description.partitions().get(0);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }
}
