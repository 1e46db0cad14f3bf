package io.seckill.launcher;

import io.seckill.platform.auth.Tokens;
import io.seckill.platform.config.Env;
import io.seckill.platform.config.Settings;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints a token signed with SECKILL_JWT_SECRET, for curl, Gatling and the demo page. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Print a user or admin token (HS256, SECKILL_JWT_SECRET).")
final class TokenCommand implements Callable<Integer> {

  static final class Who {
    @Option(names = "--user", paramLabel = "ID", description = "user id (the `sub` claim)")
    String user;

    @Option(names = "--admin", description = "an admin token (role=admin)")
    boolean admin;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Who who;

  @Option(
      names = "--ttl",
      paramLabel = "SECONDS",
      description = "lifetime; default SECKILL_TOKEN_TTL_SECONDS")
  Long ttl;

  @Option(
      names = "--count",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "with --user: print N tokens, one per line, for users ID-0 .. ID-(N-1) (for load tools)")
  int count;

  @Override
  public Integer call() {
    Env env = Env.system();
    long lifetime = ttl != null ? ttl : env.getLong(Settings.TOKEN_TTL_SECONDS);
    Vertx vertx = Vertx.vertx();
    try {
      Tokens tokens = new Tokens(vertx, env.get(Settings.JWT_SECRET));
      if (who.admin) {
        System.out.println(tokens.admin("admin", lifetime));
      } else if (count <= 1) {
        System.out.println(tokens.user(who.user, lifetime));
      } else {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++)
          out.append(tokens.user(who.user + "-" + i, lifetime)).append('\n');
        System.out.print(out);
      }
      return 0;
    } finally {
      vertx.close();
    }
  }
}
