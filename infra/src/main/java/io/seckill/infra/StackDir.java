package io.seckill.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One stack's working directory, which doubles as its marker for orphan cleanup.
 *
 * <p>It is named {@code <jvm pid>-<jvm start ticks>-<n>} under the base directory, so a later JVM
 * can tell whether its owner still lives even if the pid has been reused, and it holds a {@value
 * #CHILDREN} file listing {@code kind pid startTicks} of every server process the stack runs. See
 * {@link OrphanReaper}.
 */
final class StackDir {

  static final String CHILDREN = "children";
  static final Pattern NAME = Pattern.compile("(\\d+)-(\\d+)-(\\d+)");

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final Path path;
  private final Map<String, ChildProcess> children = new LinkedHashMap<>();

  private StackDir(Path path) {
    this.path = path;
  }

  static StackDir create(Path base) {
    long pid = ProcFs.selfPid();
    long ticks = ProcFs.startTicks(pid).orElse(0);
    try {
      Files.createDirectories(base);
      while (true) {
        Path candidate = base.resolve(pid + "-" + ticks + "-" + SEQUENCE.incrementAndGet());
        if (!Files.exists(candidate)) {
          Files.createDirectory(candidate);
          StackDir dir = new StackDir(candidate);
          dir.writeChildren();
          return dir;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a stack directory under " + base, e);
    }
  }

  /** Owner pid and start ticks encoded in a stack directory's name, or null if it is not one. */
  static long[] owner(Path dir) {
    Matcher matcher = NAME.matcher(dir.getFileName().toString());
    return matcher.matches()
        ? new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))}
        : null;
  }

  Path path() {
    return path;
  }

  Path subdir(String name) {
    try {
      return Files.createDirectories(path.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  synchronized void recordChild(String kind, ChildProcess child) {
    children.put(kind, child);
    writeChildren();
  }

  synchronized void forgetChild(String kind) {
    children.remove(kind);
    writeChildren();
  }

  void delete() {
    FileTrees.deleteQuietly(path);
  }

  /** Written to a temporary file and renamed, so a scan never reads half a list. */
  private void writeChildren() {
    StringBuilder text = new StringBuilder();
    children.forEach(
        (kind, child) ->
            text.append(kind)
                .append(' ')
                .append(child.pid())
                .append(' ')
                .append(child.startTicks())
                .append('\n'));
    try {
      Path temporary = path.resolve(CHILDREN + ".tmp");
      Files.writeString(temporary, text);
      Files.move(
          temporary,
          path.resolve(CHILDREN),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record child processes in " + path, e);
    }
  }
}
