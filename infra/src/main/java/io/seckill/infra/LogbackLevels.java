package io.seckill.infra;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Kept apart from {@link InfraLogging} so logback classes load only when logback is the SLF4J
 * backend.
 */
final class LogbackLevels {

  private LogbackLevels() {}

  static void setWhereUnset(Map<String, String> levels) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    levels.forEach(
        (name, level) -> {
          Logger logger = context.getLogger(name);
          if (logger.getLevel() == null) {
            logger.setLevel(Level.toLevel(level));
          }
        });
  }
}
