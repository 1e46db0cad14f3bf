package io.seckill.launcher;

import io.seckill.platform.config.Env;
import io.seckill.platform.config.Setting;
import io.seckill.platform.config.Settings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Any setting can also be given as a flag: SECKILL_HTTP_PORT=9090 or --http-port 9090 (or
 * --http-port=9090).
 */
final class SettingFlags {
  private SettingFlags() {}

  static Env apply(Env env, List<String> args) {
    Map<String, String> byFlag = new HashMap<>();
    for (Setting s : Settings.all()) byFlag.put(s.flag(), s.env());
    Map<String, String> overrides = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String flag = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        flag = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      String name = byFlag.get(flag);
      if (name == null)
        throw new IllegalArgumentException("unknown option " + arg + " (see `seckill config`)");
      if (value == null) {
        if (i + 1 >= args.size()) throw new IllegalArgumentException(flag + " needs a value");
        value = args.get(++i);
      }
      overrides.put(name, value);
    }
    return env.with(overrides);
  }
}
