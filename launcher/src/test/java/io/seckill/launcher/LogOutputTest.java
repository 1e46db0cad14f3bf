package io.seckill.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The launcher's own logback.xml is the configuration here, as in `seckill.jar`. */
class LogOutputTest {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
  private Appender<ILoggingEvent> console;

  @BeforeEach
  void rememberTheConsole() {
    console = root.getAppender("STDOUT");
    assertThat(console).as("logback.xml's console appender").isNotNull();
  }

  @AfterEach
  void restoreTheConsole() {
    Appender<ILoggingEvent> file = root.getAppender("FILE");
    if (file != null) {
      root.detachAppender(file);
      file.stop();
    }
    if (root.getAppender("STDOUT") == null) root.addAppender(console);
  }

  @Test
  void servicesLogIntoTheFileAndNoLongerOnTheConsole(@TempDir Path dir) throws Exception {
    LogOutput logs = new LogOutput();
    logs.logFile = dir.resolve("up.log");
    String line = "worker started " + UUID.randomUUID();

    String where = logs.apply("up");
    LoggerFactory.getLogger("io.seckill.worker.OrderWorker").info(line);

    assertThat(where).isEqualTo(logs.logFile.toAbsolutePath().toString());
    assertThat(root.getAppender("STDOUT")).isNull();
    assertThat(Files.readString(logs.logFile, StandardCharsets.UTF_8))
        .contains("INFO")
        .contains(line);
  }

  @Test
  void verboseKeepsTheLogsOnTheConsoleAndWritesNoFile(@TempDir Path dir) {
    LogOutput logs = new LogOutput();
    logs.verbose = true;
    logs.logFile = dir.resolve("up.log");

    String where = logs.apply("up");

    assertThat(where).contains("console");
    assertThat(root.getAppender("STDOUT")).isSameAs(console);
    assertThat(root.getAppender("FILE")).isNull();
    assertThat(logs.logFile).doesNotExist();
  }

  @Test
  void withoutAPathTheLogGoesToTheTemporaryDirectoryNamedAfterTheCommand() throws Exception {
    String where = new LogOutput().apply("demo");
    Path file = Path.of(where);
    try {
      assertThat(file.getParent())
          .isEqualTo(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath());
      assertThat(file.getFileName().toString())
          .isEqualTo("seckill-demo-" + ProcessHandle.current().pid() + ".log");
      assertThat(file).exists();
    } finally {
      restoreTheConsole();
      Files.deleteIfExists(file);
    }
  }
}
