package io.seckill.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/** Reads /proc: a pid alone can be reused, a pid plus its start time names one process for good. */
final class ProcFs {

  private ProcFs() {}

  static long selfPid() {
    return ProcessHandle.current().pid();
  }

  /**
   * Start time in clock ticks since boot (field 22 of /proc/pid/stat), empty if there is no such
   * process.
   */
  static OptionalLong startTicks(long pid) {
    String[] fields = statFields(pid);
    return fields == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(fields[19]));
  }

  /**
   * True if {@code pid} runs and is the process that started at {@code ticks}; zombies count as
   * dead.
   */
  static boolean isRunning(long pid, long ticks) {
    String[] fields = statFields(pid);
    if (fields == null) {
      return false;
    }
    char state = fields[0].charAt(0);
    return state != 'Z' && state != 'X' && Long.parseLong(fields[19]) == ticks;
  }

  /** True if {@code pid} runs now (not a zombie). */
  static boolean isRunning(long pid) {
    OptionalLong ticks = startTicks(pid);
    return ticks.isPresent() && isRunning(pid, ticks.getAsLong());
  }

  /** The command line with NULs as spaces; servers that rewrite their title show the new one. */
  static String cmdline(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
    } catch (IOException e) {
      return "";
    }
  }

  static boolean isRoot() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
      for (String line : lines) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0");
        }
      }
    } catch (IOException ignored) {
      // no /proc: not Linux, so not the root problem postgres has here
    }
    return false;
  }

  /** Fields after the command name, whose parentheses may hold spaces: [0] is the state. */
  private static String[] statFields(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
