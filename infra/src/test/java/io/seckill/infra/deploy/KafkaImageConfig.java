package io.seckill.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.Uuid;

/**
 * What the apache/kafka image does with its environment, and Kafka's own check of the result. The
 * image turns every KAFKA_* variable (but a few JVM ones) into a server property: drop "KAFKA_",
 * "_" between letters becomes ".", "__" becomes "_", "___" becomes "-", lower-cased
 * (docker/resources/utility in Apache Kafka's source).
 */
final class KafkaImageConfig {
  private KafkaImageConfig() {}

  private static final Set<String> NOT_PROPERTIES =
      Set.of(
          "KAFKA_VERSION",
          "KAFKA_HEAP_OPT",
          "KAFKA_HEAP_OPTS",
          "KAFKA_LOG4J_OPTS",
          "KAFKA_OPTS",
          "KAFKA_JMX_OPTS",
          "KAFKA_JVM_PERFORMANCE_OPTS",
          "KAFKA_GC_LOG_OPTS",
          "KAFKA_LOG4J_ROOT_LOGLEVEL",
          "KAFKA_LOG4J_LOGGERS",
          "KAFKA_TOOLS_LOG4J_LOGLEVEL");
  private static final Pattern SINGLE = Pattern.compile("[^_]_[^_]");

  static String propertyName(String envName) {
    String key = envName.substring("KAFKA_".length());
    Matcher m = SINGLE.matcher(key);
    StringBuilder sb = new StringBuilder();
    while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement(m.group().replace('_', '.')));
    m.appendTail(sb);
    return sb.toString().replace("___", "-").replace("__", "_").toLowerCase(Locale.ROOT);
  }

  static Properties serverProperties(Map<String, String> env) {
    Properties props = new Properties();
    env.forEach(
        (k, v) -> {
          if (k.startsWith("KAFKA_") && !NOT_PROPERTIES.contains(k))
            props.setProperty(propertyName(k), v);
        });
    // The image requires CLUSTER_ID in KRaft mode and formats the log dirs with it.
    assertThat(env).containsKey("CLUSTER_ID");
    Uuid.fromString(env.get("CLUSTER_ID"));
    return props;
  }

  /** Kafka's own validation of a server configuration (the same class a broker starts from). */
  static void validate(Properties props, String node) {
    Map<String, Object> m = new HashMap<>();
    props.forEach((k, v) -> m.put((String) k, v));
    try {
      new KafkaConfig(m, false);
    } catch (RuntimeException e) {
      throw new AssertionError(
          node + ": Kafka rejects this broker configuration: " + e.getMessage() + "\n" + props, e);
    }
  }

  static void assertSafeReplication(Properties p, String node) {
    assertThat(p.getProperty("process.roles"))
        .as(node + " KRaft")
        .contains("controller")
        .contains("broker");
    assertThat(p).as(node).doesNotContainKey("zookeeper.connect");
    assertThat(p.getProperty("default.replication.factor")).as(node).isEqualTo("3");
    assertThat(p.getProperty("min.insync.replicas")).as(node).isEqualTo("2");
    assertThat(p.getProperty("unclean.leader.election.enable")).as(node).isEqualTo("false");
    assertThat(p.getProperty("auto.create.topics.enable"))
        .as(node + ": topics are created by the services")
        .isEqualTo("false");
    assertThat(p.getProperty("offsets.topic.replication.factor"))
        .as(node + " consumer offsets")
        .isEqualTo("3");
    assertThat(p.getProperty("transaction.state.log.replication.factor")).as(node).isEqualTo("3");
    assertThat(p.getProperty("transaction.state.log.min.isr")).as(node).isEqualTo("2");
  }
}
