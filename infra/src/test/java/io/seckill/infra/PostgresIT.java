package io.seckill.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresIT {

  private final DevStack stack = DevStack.shared();

  @Test
  void postgresStoresAndReadsBackRowsInAFreshDatabase() throws Exception {
    String database = stack.createDatabase("orders_it");
    assertThat(database).startsWith("orders_it_").isNotEqualTo(stack.createDatabase("orders_it"));

    try (Connection connection =
            DriverManager.getConnection(
                stack.jdbcUrl(database), stack.pgUser(), stack.pgPassword());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE orders (id bigint PRIMARY KEY, sku text NOT NULL)");
      statement.execute("INSERT INTO orders VALUES (1, 'phone'), (2, 'watch')");
      try (ResultSet rows = statement.executeQuery("SELECT sku FROM orders ORDER BY id")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("phone");
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("watch");
        assertThat(rows.next()).isFalse();
      }
    }
  }

  @Test
  void theDefaultDatabaseExistsAndThePasswordIsChecked() throws Exception {
    try (Connection connection =
            DriverManager.getConnection(
                stack.jdbcUrl(stack.pgDatabase()), stack.pgUser(), stack.pgPassword());
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT current_database(), current_user")) {
      assertThat(row.next()).isTrue();
      assertThat(row.getString(1)).isEqualTo("seckill");
      assertThat(row.getString(2)).isEqualTo(stack.pgUser());
    }
    assertThatThrownBy(
            () ->
                DriverManager.getConnection(
                        stack.jdbcUrl(stack.pgDatabase()), stack.pgUser(), "wrong")
                    .close())
        .hasMessageContaining("password authentication failed");
  }

  @Test
  void postgresKeepsItsDataAcrossARestartOnTheSamePort() throws Exception {
    String database = stack.createDatabase("restart_it");
    try (Connection connection = stack.postgres().connect(database);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE t (v int)");
      statement.execute("INSERT INTO t VALUES (42)");
    }
    EmbeddedPostgres postgres = stack.postgres();
    int port = postgres.port();

    postgres.stop();
    assertThat(postgres.isRunning()).isFalse();
    postgres.start();

    assertThat(postgres.port()).isEqualTo(port);
    try (Connection connection = stack.postgres().connect(database);
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT v FROM t")) {
      assertThat(row.next()).isTrue();
      assertThat(row.getInt(1)).isEqualTo(42);
    }
  }
}
