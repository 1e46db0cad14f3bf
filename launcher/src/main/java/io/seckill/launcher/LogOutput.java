package io.seckill.launcher;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * Where `up` and `demo` send the logs of the servers and services they run: to a file by default,
 * so that the console shows only their report and URLs, or to the console with --verbose. The
 * one-service commands (`gateway`, …) keep logback.xml's console output: in production an operator
 * collects stdout.
 */
final class LogOutput {
  /** The console appender of logback.xml. */
  private static final String CONSOLE = "STDOUT";

  private static final String FALLBACK_PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n";

  @Option(
      names = "--verbose",
      description = "print the services' logs on the console instead of into the log file")
  boolean verbose;

  @Option(
      names = "--log-file",
      paramLabel = "PATH",
      description =
          "where the services' logs go (default: seckill-<command>-<pid>.log in the temporary directory)")
  Path logFile;

  /**
   * Moves every log line of this process from the console to the log file, unless --verbose;
   * returns where the logs go, for the command to print before it starts anything.
   */
  String apply(String command) {
    if (verbose) return "the console (--verbose)";
    Path file =
        logFile != null
            ? logFile
            : Path.of(
                System.getProperty("java.io.tmpdir"),
                "seckill-" + command + "-" + ProcessHandle.current().pid() + ".log");
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return "the console (logback is not the logging backend)";
    }
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    Appender<ILoggingEvent> console = root.getAppender(CONSOLE);
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    // The same line format as the console's, so a log reads the same wherever it went.
    encoder.setPattern(
        console instanceof OutputStreamAppender<ILoggingEvent> stream
                && stream.getEncoder() instanceof PatternLayoutEncoder own
            ? own.getPattern()
            : FALLBACK_PATTERN);
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(context);
    appender.setName("FILE");
    appender.setFile(file.toAbsolutePath().toString());
    appender.setAppend(true);
    appender.setEncoder(encoder);
    appender.start();
    if (!appender.isStarted()) {
      return "the console (cannot write " + file.toAbsolutePath() + ")";
    }
    root.addAppender(appender);
    root.detachAppender(CONSOLE);
    return file.toAbsolutePath().toString();
  }
}
