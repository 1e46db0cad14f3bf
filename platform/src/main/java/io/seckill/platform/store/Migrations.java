package io.seckill.platform.store;

import io.seckill.platform.config.Servers;
import org.flywaydb.core.Flyway;

/**
 * Applies the schema (db/migration) with Flyway. Blocking: call it at start, off the event loop.
 */
public final class Migrations {
  private Migrations() {}

  public static int apply(Servers servers) {
    return Flyway.configure()
        .dataSource(servers.jdbcUrl(), servers.pgUser(), servers.pgPassword())
        .locations("classpath:db/migration")
        .connectRetries(10)
        .load()
        .migrate()
        .migrationsExecuted;
  }
}
