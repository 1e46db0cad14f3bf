package io.seckill.infra;

import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Turns the servers' own logging down to WARN, so that a stack start shows one INFO line per server.
 *
 * <p>Only loggers that the application's logback configuration leaves unset are touched, so a config that
 * names a level for, say, {@code kafka} still wins. A launcher that prefers configuration to code can
 * include {@code io/seckill/infra/logback-infra.xml} instead. Without logback this does nothing.
 */
final class InfraLogging {

    static final List<String> SERVER_LOGGERS = List.of(
        "kafka", "state.change.logger", "org.apache.kafka", "org.apache.zookeeper", "io.zonky");

    private InfraLogging() {
    }

    static void quietServers() {
        if (LoggerFactory.getILoggerFactory().getClass().getName().startsWith("ch.qos.logback.")) {
            LogbackLevels.setWarnWhereUnset(SERVER_LOGGERS);
        }
    }
}
