package io.seckill.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A freshly initdb'd data directory, made once per postgres version and copied for each stack.
 *
 * <p>initdb is CPU-bound (about a second alone, several on a busy 2-core machine); copying its
 * result takes a fraction of that.
 */
final class PostgresTemplate {

  private PostgresTemplate() {}

  /** Copies the template for {@code user} into {@code dataDir}, which must not exist yet. */
  static void copyTo(Path home, String user, String password, Path dataDir) {
    Path template =
        BinaryCache.entry(
            home.getFileName() + "-initdb-" + user, target -> initdb(home, user, password, target));
    // cp copies the ~1000 files in a tenth of what a cold JVM needs, which matters on a busy
    // machine
    ChildProcess.run(
        "cp",
        List.of("cp", "-a", template.toString(), dataDir.toString()),
        dataDir.resolveSibling("cp.log"),
        false,
        Duration.ofSeconds(60));
  }

  private static void initdb(Path home, String user, String password, Path target)
      throws IOException {
    Path scratch = Files.createTempDirectory(BinaryCache.root(), "initdb-");
    try {
      Path passwordFile = Files.writeString(scratch.resolve("pwfile"), password + "\n");
      ChildProcess.run(
          "initdb",
          List.of(
              home.resolve("bin/initdb").toString(),
              "--pgdata=" + target,
              "--username=" + user,
              "--pwfile=" + passwordFile,
              "--auth-host=md5",
              "--auth-local=trust",
              "--encoding=UTF8",
              "--locale=C",
              "--no-sync"),
          scratch.resolve("initdb.log"),
          true,
          Duration.ofSeconds(120));
    } finally {
      FileTrees.deleteQuietly(scratch);
    }
  }
}
