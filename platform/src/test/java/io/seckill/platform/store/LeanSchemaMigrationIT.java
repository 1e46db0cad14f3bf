package io.seckill.platform.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.infra.DevStack;
import io.seckill.platform.config.Env;
import io.seckill.platform.config.Servers;
import io.seckill.platform.config.Settings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A database made by V1, with orders in it, migrates forward to the lean table and keeps every row.
 */
class LeanSchemaMigrationIT {

  @Test
  void
      a_v1_database_with_orders_migrates_forward_keeping_its_rows_and_losing_only_the_foreign_key_and_two_indexes()
          throws SQLException {
    DevStack stack = DevStack.shared();
    String db = stack.createDatabase("t_lean_" + UUID.randomUUID().toString().substring(0, 8));
    Servers servers =
        Servers.from(
            Env.system()
                .with(
                    Settings.PG_URI,
                    "postgresql://"
                        + stack.pgUser()
                        + ":"
                        + stack.pgPassword()
                        + "@"
                        + stack.pgHost()
                        + ":"
                        + stack.pgPort()
                        + "/"
                        + db));
    Flyway.configure()
        .dataSource(servers.jdbcUrl(), servers.pgUser(), servers.pgPassword())
        .locations("classpath:db/migration")
        .target("1")
        .load()
        .migrate();
    try (Connection c =
            DriverManager.getConnection(servers.jdbcUrl(), servers.pgUser(), servers.pgPassword());
        Statement s = c.createStatement()) {
      s.execute(
          "insert into sales (id, item, initial_stock, price_cents, starts_at, ends_at, payment_timeout_seconds)"
              + " values (7, 'phone', 10, 100, now(), now() + interval '1 hour', 60)");
      s.execute(
          "insert into orders (id, sale_id, user_id, quantity, status, admitted_at, expires_at)"
              + " select g, 7, 'u' || g, 1, 'PENDING_PAYMENT', now(), now() + interval '1 minute' from generate_series(1, 100) g");
      assertThat(indexes(s)).contains("orders_by_sale_status", "orders_by_sale_user");

      assertThat(Migrations.apply(servers)).isEqualTo(1);

      assertThat(count(s, "select count(*) from orders where sale_id = 7")).isEqualTo(100);
      assertThat(indexes(s)).containsExactlyInAnyOrder("orders_pkey", "orders_by_sale");
      assertThat(
              count(
                  s,
                  "select count(*) from pg_constraint where conrelid = 'orders'::regclass and contype = 'f'"))
          .isZero();
      assertThat(
              count(
                  s,
                  "select count(*) from pg_constraint where conrelid = 'orders'::regclass and contype = 'c'"))
          .as("the check constraints stay")
          .isEqualTo(5);
      assertThat(Migrations.apply(servers)).as("applied once").isZero();
    }
  }

  private static List<String> indexes(Statement s) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet r =
        s.executeQuery("select indexname from pg_indexes where tablename = 'orders'")) {
      while (r.next()) out.add(r.getString(1));
    }
    return out;
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }
}
