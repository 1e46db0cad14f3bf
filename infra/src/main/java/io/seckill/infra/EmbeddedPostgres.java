package io.seckill.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (zonky's binaries) on a fixed loopback port, run directly rather than
 * through pg_ctl so that we hold the postmaster's pid.
 *
 * <p>PostgreSQL refuses to run as root. As root, initdb and postgres are started through {@code
 * unshare --user}: in the new user namespace no uid is mapped, so the process sees itself and the
 * root-owned data directory as the overflow uid and is content, while the kernel still checks file
 * access against the real root, so nothing needs chown and no other account is involved.
 */
public final class EmbeddedPostgres {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
  private static final String HOST = "127.0.0.1";
  private static final String USER = "seckill";
  private static final String PASSWORD = "seckill";
  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,40}");
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final StackDir stackDir;
  private Path home;
  private final Path dataDir;
  private final Path log;
  private final int port;
  private final String defaultDatabase;
  private ChildProcess process;

  EmbeddedPostgres(StackDir stackDir, int port, String defaultDatabase) {
    this.stackDir = stackDir;
    Path dir = stackDir.subdir("postgres");
    this.dataDir = dir.resolve("data");
    this.log = dir.resolve("postgres.log");
    this.port = port;
    this.defaultDatabase = defaultDatabase;
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  public String user() {
    return USER;
  }

  public String password() {
    return PASSWORD;
  }

  public String defaultDatabase() {
    return defaultDatabase;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
  }

  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), USER, PASSWORD);
  }

  /** Pid of the postmaster, or -1 while stopped. */
  public synchronized long pid() {
    return isRunning() ? process.pid() : -1;
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Creates {@code <prefix>_<random>} and returns its name, so every test can have a database of
   * its own.
   */
  public String createDatabase(String prefix) {
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("database prefix must match " + PREFIX + ": " + prefix);
    }
    byte[] random = new byte[4];
    RANDOM.nextBytes(random);
    String name = prefix + "_" + HexFormat.of().formatHex(random);
    execute("postgres", "CREATE DATABASE " + name);
    return name;
  }

  /**
   * Starts on the same port and data directory as before; the first start makes the data directory.
   */
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    long began = System.nanoTime();
    if (home == null) {
      home = PostgresBinaries.home();
    }
    boolean fresh = !Files.exists(dataDir.resolve("PG_VERSION"));
    if (fresh) {
      PostgresTemplate.copyTo(home, USER, PASSWORD, dataDir);
      LOG.debug(
          "postgres: data directory ready after {} ms", (System.nanoTime() - began) / 1_000_000);
    }
    process = ChildProcess.start("postgres", command(), log, "QUIT", true);
    stackDir.recordChild("postgres", process);
    awaitReady();
    LOG.debug(
        "postgres: accepting connections after {} ms", (System.nanoTime() - began) / 1_000_000);
    if (fresh) {
      bootstrap();
    }
    LOG.info(
        "postgres started: {}:{} db={} in {} ms",
        HOST,
        port,
        defaultDatabase,
        (System.nanoTime() - began) / 1_000_000);
  }

  /** SIGINT is the fast shutdown: it does not wait for clients (SIGTERM would, maybe forever). */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.signal("INT");
    if (!process.awaitExit(Duration.ofSeconds(15))) {
      LOG.warn("postgres on port {} ignored SIGINT for 15 s, sending SIGQUIT", port);
      process.signal("QUIT");
      if (!process.awaitExit(Duration.ofSeconds(5))) {
        process.kill();
      }
    }
    stackDir.forgetChild("postgres");
    process = null;
    LOG.debug("postgres stopped: {}:{}", HOST, port);
  }

  /*
   * Durability settings are off because this is a throwaway dev/test server: a crash of the machine is
   * not a case to survive, and fsync on every commit would dominate test time.
   */
  private List<String> command() {
    List<String> command =
        new ArrayList<>(List.of(home.resolve("bin/postgres").toString(), "-D", dataDir.toString()));
    for (String setting :
        List.of(
            "port=" + port,
            "listen_addresses=" + HOST,
            "unix_socket_directories=",
            "max_connections=200",
            "shared_buffers=64MB",
            "fsync=off",
            "synchronous_commit=off",
            "full_page_writes=off",
            "password_encryption=md5")) {
      command.add("-c");
      command.add(setting);
    }
    return command;
  }

  /*
   * initdb stores the password as SCRAM. Re-setting it under password_encryption=md5 lets clients without
   * a SCRAM implementation (vertx-pg-client without scram-client on the classpath) log in too.
   */
  private void bootstrap() {
    execute("postgres", "ALTER ROLE " + USER + " PASSWORD '" + PASSWORD + "'");
    execute("postgres", "CREATE DATABASE " + defaultDatabase);
  }

  private void execute(String database, String sql) {
    try (Connection connection = connect(database);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("postgres: " + sql + ": " + e.getMessage(), e);
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("postgres exited during startup:\n" + process.logTail());
      }
      try (Connection ignored = connect("postgres")) {
        return;
      } catch (SQLException e) {
        if (System.nanoTime() > deadline) {
          process.kill();
          throw new IllegalStateException(
              "postgres not ready after "
                  + READY_TIMEOUT
                  + ": "
                  + e.getMessage()
                  + "\n"
                  + process.logTail());
        }
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }
}
