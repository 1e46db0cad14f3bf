package io.seckill.launcher;

import io.seckill.platform.config.Env;
import io.seckill.platform.config.Setting;
import io.seckill.platform.config.Settings;
import picocli.CommandLine.Command;

/** Prints every setting with its default and current value (the README table is this output). */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "List every SECKILL_* setting, its default and its value here.")
final class ConfigCommand implements Runnable {
  @Override
  public void run() {
    Env env = Env.system();
    System.out.println("| variable | flag | default | meaning |");
    System.out.println("|---|---|---|---|");
    for (Setting s : Settings.all()) {
      String value = env.get(s);
      String shown =
          s.equals(Settings.JWT_SECRET) || s.equals(Settings.PG_URI) ? s.defaultValue() : value;
      System.out.printf(
          "| `%s` | `%s` | `%s` | %s%s |%n",
          s.env(),
          s.flag(),
          s.defaultValue(),
          s.description(),
          shown.equals(s.defaultValue()) ? "" : " (here: `" + shown + "`)");
    }
  }
}
