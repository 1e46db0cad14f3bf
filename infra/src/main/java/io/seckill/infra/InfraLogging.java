package io.seckill.infra;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Turns the servers' own logging down to WARN, so that a stack start shows one INFO line per
 * server.
 *
 * <p>Only loggers that the application's logback configuration leaves unset are touched, so a
 * config that names a level for, say, {@code kafka} still wins. A launcher that prefers
 * configuration to code can include {@code io/seckill/infra/logback-infra.xml} instead. Without
 * logback this does nothing.
 */
final class InfraLogging {

  static final Map<String, String> SERVER_LEVELS = new LinkedHashMap<>();

  static {
    SERVER_LEVELS.put("kafka", "WARN");
    SERVER_LEVELS.put("state.change.logger", "WARN");
    SERVER_LEVELS.put("org.apache.kafka", "WARN");
    SERVER_LEVELS.put("org.apache.zookeeper", "WARN");
    SERVER_LEVELS.put("io.zonky", "WARN");
    // Brokers sharing one JVM register the same MBean names; each clash is a WARN with a stack
    // trace.
    SERVER_LEVELS.put("com.yammer.metrics", "ERROR");
  }

  private InfraLogging() {}

  static void quietServers() {
    if (LoggerFactory.getILoggerFactory().getClass().getName().startsWith("ch.qos.logback.")) {
      LogbackLevels.setWhereUnset(SERVER_LEVELS);
    }
  }
}
