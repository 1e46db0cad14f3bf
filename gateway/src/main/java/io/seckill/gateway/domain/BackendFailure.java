package io.seckill.gateway.domain;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.redis.client.impl.types.ErrorType;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.common.KafkaException;

/**
 * What a failed call to Redis, PostgreSQL or Kafka may have done, judged from the exception the
 * Vert.x clients throw. {@link #NOT_EXECUTED}: the command provably never ran (no connection,
 * refused before running it), so nothing changed and the buyer may simply retry (503). {@link
 * #MAY_HAVE_EXECUTED}: it was sent and its reply never came (timeout, connection lost in flight),
 * so it may have run (release what it took, else 504). {@link #NOT_A_BACKEND_FAILURE}: a bug. The
 * types and messages below are those of vertx-redis-client, vertx-pg-client and vertx-core 5.0
 * (checked in their classes: RedisStandaloneConnection, SqlConnectionPool, PoolImpl) and of
 * kafka-clients 4.
 */
public enum BackendFailure {
  NOT_EXECUTED,
  MAY_HAVE_EXECUTED,
  NOT_A_BACKEND_FAILURE;

  /**
   * Redis error replies for a command Redis refused without running it: still loading its data set,
   * busy with a script past lua-time-limit, a replica without its master or refusing writes, out of
   * memory, cannot persist, a cluster slot moving. (Any other error reply, e.g. a script failing
   * half-way, may have written something.)
   */
  private static final Set<String> REDIS_REFUSALS =
      Set.of(
          "LOADING",
          "BUSY",
          "MASTERDOWN",
          "READONLY",
          "OOM",
          "MISCONF",
          "NOREPLICAS",
          "TRYAGAIN",
          "CLUSTERDOWN",
          "NOSCRIPT",
          "NOAUTH",
          "WRONGPASS",
          "NOPERM");

  /**
   * Failures raised before a command is written: RedisStandaloneConnection fails a send on a
   * connection it already knows closed, or one beyond its waiting queue, with these (as a plain
   * NoStackTraceThrowable); SqlConnectionPool fails the wait for a free connection with the third.
   */
  private static final String SQL_CONNECTION_NOT_ACTIVE =
      "Connection is not active now, current status: ";

  private static final Set<String> UNSENT_MESSAGES =
      Set.of(
          "Connection is closed", "Redis waiting queue is full", "Timeout waiting for connection");

  /**
   * PostgreSQL SQLSTATEs after which the statement did not take effect: the server would not take
   * the connection (57P03 cannot_connect_now, 53300 too_many_connections, 28000/28P01
   * authentication), or it rolled the statement back (40001 serialization, 40P01 deadlock, 55P03
   * lock_not_available, 57014 query_canceled, 53xxx out of resources). 57P01/57P02 (the server
   * shutting down) can arrive after a commit, so they stay "may have executed".
   */
  private static final Set<String> PG_NOT_EXECUTED =
      Set.of(
          "57P03", "53300", "53000", "53100", "53200", "53400", "28000", "28P01", "40001", "40P01",
          "55P03", "57014", "08001", "08004");

  private static final Set<String> PG_MAY_HAVE_EXECUTED =
      Set.of("57P01", "57P02", "08000", "08003", "08006", "08007", "58000", "58030", "XX000");

  public static BackendFailure classify(Throwable failure) {
    BackendFailure found = NOT_A_BACKEND_FAILURE;
    int depth = 0;
    for (Throwable t = failure;
        t != null && depth < 16;
        t = t.getCause() == t ? null : t.getCause(), depth++) {
      BackendFailure kind = one(t);
      // The outermost definite answer wins; a wrapper that says "may have" does not hide a cause
      // that says "never sent".
      if (kind == NOT_EXECUTED) return NOT_EXECUTED;
      if (kind == MAY_HAVE_EXECUTED) found = MAY_HAVE_EXECUTED;
    }
    return found;
  }

  private static BackendFailure one(Throwable t) {
    if (t instanceof ErrorType redis) return redisReply(redis);
    if (t instanceof PgException pg) return postgres(pg.getSqlState());
    // Connection refused, connect timeout (netty's ConnectTimeoutException is a ConnectException),
    // no route, no host.
    if (t instanceof ConnectException
        || t instanceof NoRouteToHostException
        || t instanceof UnknownHostException) {
      return NOT_EXECUTED;
    }
    if (t instanceof ConnectionPoolTooBusyException) return NOT_EXECUTED;
    if (t.getMessage() != null && UNSENT_MESSAGES.contains(t.getMessage())) return NOT_EXECUTED;
    // vertx-sql-client's SocketConnectionBase fails a command scheduled on a connection that is
    // CLOSING or CLOSED
    // before writing it (a pooled connection the server dropped a moment before it was handed out).
    if (t.getMessage() != null && t.getMessage().startsWith(SQL_CONNECTION_NOT_ACTIVE))
      return NOT_EXECUTED;
    if (t instanceof BufferExhaustedException) return NOT_EXECUTED;
    // Future.timeout's NoStackTraceTimeoutException: the reply did not come in time, the command
    // may have run.
    if (t instanceof TimeoutException) return MAY_HAVE_EXECUTED;
    // A connection lost with commands in flight: vertx-sql-client's ClosedConnectionException,
    // netty's
    // "Connection reset by peer" IOException, vertx-core's "Connection was closed".
    if (t instanceof ClosedConnectionException || t instanceof IOException)
      return MAY_HAVE_EXECUTED;
    if (t instanceof VertxException
        && t.getMessage() != null
        && t.getMessage().toLowerCase(Locale.ROOT).contains("connection was closed")) {
      return MAY_HAVE_EXECUTED;
    }
    // A producer error: a record that timed out or lost its leader may still be in the log.
    if (t instanceof KafkaException) return MAY_HAVE_EXECUTED;
    return NOT_A_BACKEND_FAILURE;
  }

  private static BackendFailure redisReply(ErrorType reply) {
    // RedisStandaloneConnection fails the commands in flight on a connection that closed with this
    // one.
    if (reply.is("CONNECTION_CLOSED")) return MAY_HAVE_EXECUTED;
    String message = reply.getMessage() == null ? "" : reply.getMessage();
    int space = message.indexOf(' ');
    String code = space < 0 ? message : message.substring(0, space);
    return REDIS_REFUSALS.contains(code) ? NOT_EXECUTED : MAY_HAVE_EXECUTED;
  }

  private static BackendFailure postgres(String sqlState) {
    if (sqlState == null) return MAY_HAVE_EXECUTED;
    if (PG_NOT_EXECUTED.contains(sqlState)) return NOT_EXECUTED;
    if (PG_MAY_HAVE_EXECUTED.contains(sqlState)) return MAY_HAVE_EXECUTED;
    // Any other SQLSTATE (syntax, constraint, data) is a statement this code should not have sent:
    // a bug.
    return NOT_A_BACKEND_FAILURE;
  }
}
