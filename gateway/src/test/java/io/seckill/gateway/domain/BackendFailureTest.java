package io.seckill.gateway.domain;

import static io.seckill.gateway.domain.BackendFailure.MAY_HAVE_EXECUTED;
import static io.seckill.gateway.domain.BackendFailure.NOT_A_BACKEND_FAILURE;
import static io.seckill.gateway.domain.BackendFailure.NOT_EXECUTED;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The classification against the exceptions the real Vert.x Redis and PostgreSQL clients raise,
 * provoked without servers: a closed port, or a few lines of fake server on a loopback socket that
 * answers what a loading Redis or a starting PostgreSQL answers (or nothing, or hangs up).
 */
class BackendFailureTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aRedisStillLoadingItsDataSetRefusedTheCommandUnexecuted() throws Exception {
    assertThat(redisFailure(command -> "-LOADING Redis is loading the dataset in memory\r\n"))
        .isEqualTo(NOT_EXECUTED);
  }

  @Test
  void aRedisBusyWithAScriptOrWithoutItsMasterRefusedTheCommandUnexecuted() throws Exception {
    assertThat(
            redisFailure(
                command ->
                    "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN"
                        + " NOSAVE.\r\n"))
        .isEqualTo(NOT_EXECUTED);
    assertThat(
            redisFailure(
                command ->
                    "-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.\r\n"))
        .isEqualTo(NOT_EXECUTED);
  }

  @Test
  void aRedisThatCannotBeReachedNeverGotTheCommand() {
    int port = closedPort();
    Redis redis =
        Redis.createClient(
            vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + port));
    assertThat(failureOf(redis.send(Request.cmd(Command.PING)))).isEqualTo(NOT_EXECUTED);
  }

  @Test
  void aRedisConnectionLostWithTheCommandInFlightMayHaveRunIt() throws Exception {
    assertThat(redisFailure(command -> null)).isEqualTo(MAY_HAVE_EXECUTED);
  }

  @Test
  void aRedisReplyThatNeverCameMayHaveRunTheCommand() throws Exception {
    try (FakeServer silent =
        FakeServer.redis(
            command -> command.startsWith("HELLO") ? "-ERR unknown command 'HELLO'\r\n" : "")) {
      Redis redis =
          Redis.createClient(
              vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + silent.port()));
      assertThat(
              failureOf(
                  redis
                      .send(Request.cmd(Command.GET).arg("k"))
                      .timeout(300, TimeUnit.MILLISECONDS)))
          .isEqualTo(MAY_HAVE_EXECUTED);
    }
  }

  @Test
  void aScriptThatFailedHalfWayMayHaveWritten() throws Exception {
    assertThat(
            redisFailure(
                command -> "-ERR Error running script (call to f_x): user_script:3: oops\r\n"))
        .isEqualTo(MAY_HAVE_EXECUTED);
  }

  @Test
  void aPostgresqlThatIsStartingUpOrFullRefusedTheConnection() throws Exception {
    assertThat(postgresFailure("57P03", "the database system is starting up"))
        .isEqualTo(NOT_EXECUTED);
    assertThat(postgresFailure("53300", "sorry, too many clients already")).isEqualTo(NOT_EXECUTED);
  }

  @Test
  void aPostgresqlShuttingDownMayHaveCommittedBeforeItSaidSo() throws Exception {
    assertThat(postgresFailure("57P01", "terminating connection due to administrator command"))
        .isEqualTo(MAY_HAVE_EXECUTED);
  }

  @Test
  void aPostgresqlThatCannotBeReachedNeverGotTheStatement() {
    Pool pool = pgPool(closedPort(), new PoolOptions());
    assertThat(failureOf(pool.query("select 1").execute())).isEqualTo(NOT_EXECUTED);
  }

  @Test
  void aStatementOnAPostgresqlConnectionTheServerAlreadyClosedWasNeverSent() throws Exception {
    // The server completes the start-up (AuthenticationOk, client_encoding, ReadyForQuery), then
    // hangs up at once.
    ByteArrayOutputStream startup = new ByteArrayOutputStream();
    startup.writeBytes(pgMessage('R', new byte[] {0, 0, 0, 0}));
    startup.writeBytes(pgMessage('S', "client_encoding\0UTF8\0".getBytes(StandardCharsets.UTF_8)));
    startup.writeBytes(pgMessage('Z', new byte[] {'I'}));
    try (FakeServer fake = FakeServer.postgres(request -> startup.toByteArray())) {
      SqlConnection connection =
          PgConnection.connect(
                  vertx,
                  new PgConnectOptions()
                      .setHost("127.0.0.1")
                      .setPort(fake.port())
                      .setDatabase("d")
                      .setUser("u")
                      .setPassword("p"))
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      Thread.sleep(
          500); // the client sees the hang-up right after the start-up, before any statement
      Throwable failure = failure(connection.query("select 1").execute());
      assertThat(failure).hasMessageStartingWith("Connection is not active now");
      assertThat(BackendFailure.classify(failure)).isEqualTo(NOT_EXECUTED);
    }
  }

  @Test
  void anExhaustedPostgresqlPoolNeverSentTheStatement() throws Exception {
    try (FakeServer silent = FakeServer.postgres(startup -> new byte[0])) {
      // The one connection hangs in its handshake; the next statement waits for it and gives up, or
      // finds no room.
      Pool waiting =
          pgPool(
              silent.port(),
              new PoolOptions()
                  .setMaxSize(1)
                  .setConnectionTimeout(300)
                  .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS));
      waiting.query("select 1").execute();
      assertThat(failureOf(waiting.query("select 2").execute())).isEqualTo(NOT_EXECUTED);
      Pool full = pgPool(silent.port(), new PoolOptions().setMaxSize(1).setMaxWaitQueueSize(0));
      full.query("select 1").execute();
      assertThat(failureOf(full.query("select 2").execute())).isEqualTo(NOT_EXECUTED);
    }
  }

  @Test
  void aKafkaSendThatTimedOutMayBeInTheLogButOneTheProducerNeverBufferedIsNot() {
    assertThat(
            BackendFailure.classify(
                new TimeoutException("Expiring 3 record(s) for orders-1: 30001 ms has passed")))
        .isEqualTo(MAY_HAVE_EXECUTED);
    assertThat(BackendFailure.classify(new NotEnoughReplicasException("not enough replicas")))
        .isEqualTo(MAY_HAVE_EXECUTED);
    assertThat(
            BackendFailure.classify(
                new BufferExhaustedException("Failed to allocate 100 bytes within 60000 ms")))
        .isEqualTo(NOT_EXECUTED);
  }

  @Test
  void aCauseThatProvesTheCommandUnsentIsFoundBehindAWrapper() {
    int port = closedPort();
    Redis redis =
        Redis.createClient(
            vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + port));
    Throwable refused = failure(redis.send(Request.cmd(Command.PING)));
    assertThat(BackendFailure.classify(new IllegalStateException("admission failed", refused)))
        .isEqualTo(NOT_EXECUTED);
  }

  @Test
  void aBugOrAStatementThatShouldNotHaveBeenSentIsNotABackendFailure() {
    assertThat(BackendFailure.classify(new NullPointerException()))
        .isEqualTo(NOT_A_BACKEND_FAILURE);
    assertThat(BackendFailure.classify(new IllegalArgumentException("No enum constant OK2")))
        .isEqualTo(NOT_A_BACKEND_FAILURE);
    assertThat(
            BackendFailure.classify(
                new PgException("duplicate key value", "ERROR", "23505", "Key exists")))
        .isEqualTo(NOT_A_BACKEND_FAILURE);
  }

  private BackendFailure redisFailure(Function<String, String> reply) throws Exception {
    // Answers HELLO the way a Redis without RESP3 does, so the client falls back and sends the
    // command itself.
    try (FakeServer fake =
        FakeServer.redis(
            command ->
                command.startsWith("HELLO")
                    ? "-ERR unknown command 'HELLO'\r\n"
                    : reply.apply(command))) {
      Redis redis =
          Redis.createClient(
              vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + fake.port()));
      return failureOf(
          redis.send(Request.cmd(Command.EVALSHA).arg("abc").arg(0)).timeout(5, TimeUnit.SECONDS));
    }
  }

  private BackendFailure postgresFailure(String sqlState, String message) throws Exception {
    try (FakeServer fake = FakeServer.postgres(startup -> errorResponse(sqlState, message))) {
      return failureOf(pgPool(fake.port(), new PoolOptions()).query("select 1").execute());
    }
  }

  private Pool pgPool(int port, PoolOptions options) {
    return PgBuilder.pool()
        .with(options)
        .connectingTo(
            new PgConnectOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setDatabase("d")
                .setUser("u")
                .setPassword("p"))
        .using(vertx)
        .build();
  }

  private static BackendFailure failureOf(Future<?> future) {
    return BackendFailure.classify(failure(future));
  }

  private static Throwable failure(Future<?> future) {
    CompletableFuture<Throwable> cause = new CompletableFuture<>();
    future.onComplete(r -> cause.complete(r.failed() ? r.cause() : null));
    Throwable t = cause.orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(t).as("the call failed").isNotNull();
    return t;
  }

  private static int closedPort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One PostgreSQL backend message: its type, its length (itself included), its body. */
  private static byte[] pgMessage(char type, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(type);
    int len = body.length + 4;
    out.write(len >>> 24);
    out.write(len >>> 16);
    out.write(len >>> 8);
    out.write(len);
    out.writeBytes(body);
    return out.toByteArray();
  }

  /** PostgreSQL's ErrorResponse message ('E'), as a server sends it instead of AuthenticationOk. */
  private static byte[] errorResponse(String sqlState, String message) {
    ByteArrayOutputStream fields = new ByteArrayOutputStream();
    for (String f : new String[] {"SFATAL", "VFATAL", "C" + sqlState, "M" + message}) {
      fields.writeBytes(f.getBytes(StandardCharsets.UTF_8));
      fields.write(0);
    }
    fields.write(0);
    return pgMessage('E', fields.toByteArray());
  }

  /** A loopback server whose every connection gets the given answers; a null answer hangs up. */
  private static final class FakeServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread acceptor;

    private FakeServer(Connection connection) throws IOException {
      socket = new ServerSocket(0);
      acceptor =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try {
                    Socket s = socket.accept();
                    Thread t =
                        new Thread(
                            () -> {
                              try (s) {
                                connection.serve(
                                    new BufferedInputStream(s.getInputStream()),
                                    s.getOutputStream());
                              } catch (IOException ignored) {
                                // the client went away
                              }
                            });
                    t.setDaemon(true);
                    t.start();
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
    }

    interface Connection {
      void serve(InputStream in, OutputStream out) throws IOException;
    }

    /**
     * Reads RESP commands; answers each with reply(command as "NAME arg ..."), "" = no answer, null
     * = hang up.
     */
    static FakeServer redis(Function<String, String> reply) throws IOException {
      return new FakeServer(
          (in, out) -> {
            while (true) {
              String command = readCommand(in);
              if (command == null) return;
              String answer = reply.apply(command);
              if (answer == null) return;
              out.write(answer.getBytes(StandardCharsets.UTF_8));
              out.flush();
            }
          });
    }

    /**
     * Reads the startup message and answers it with the given bytes (none: stays silent), then
     * waits.
     */
    static FakeServer postgres(Function<byte[], byte[]> reply) throws IOException {
      return new FakeServer(
          (in, out) -> {
            DataInputStream data = new DataInputStream(in);
            byte[] startup = new byte[data.readInt() - 4];
            data.readFully(startup);
            byte[] answer = reply.apply(startup);
            if (answer.length > 0) {
              out.write(answer);
              out.flush();
              return;
            }
            while (in.read() >= 0) {
              // silent: read whatever comes until the client hangs up
            }
          });
    }

    private static String readCommand(InputStream in) throws IOException {
      String header = readLine(in);
      if (header == null || !header.startsWith("*")) return null;
      int n = Integer.parseInt(header.substring(1));
      StringBuilder command = new StringBuilder();
      for (int i = 0; i < n; i++) {
        int len = Integer.parseInt(readLine(in).substring(1));
        byte[] arg = in.readNBytes(len + 2);
        if (i > 0) command.append(' ');
        command.append(new String(arg, 0, len, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT));
      }
      return command.toString();
    }

    private static String readLine(InputStream in) throws IOException {
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0) {
        if (c == '\r') {
          in.read();
          return line.toString();
        }
        line.append((char) c);
      }
      return null;
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
