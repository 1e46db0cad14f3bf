package io.seckill.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where server binaries unpacked from Maven artifacts live between runs.
 *
 * <p>Unpacking postgres takes a couple of seconds, so it is done once per machine and version, not
 * per stack; entries are keyed by content and never change once published, and they are published
 * by an atomic rename so concurrent JVMs never see half an entry.
 */
final class BinaryCache {

  private BinaryCache() {}

  static Path root() {
    return Path.of(System.getProperty("java.io.tmpdir"), "seckill-cache");
  }

  interface Filler {
    void fill(Path target) throws IOException;
  }

  /** Returns {@code root()/name}, creating it with {@code filler} if absent. */
  static Path entry(String name, Filler filler) {
    Path target = root().resolve(name);
    if (Files.exists(target)) {
      return target;
    }
    Path staging = root().resolve(name + ".tmp-" + ProcFs.selfPid() + "-" + System.nanoTime());
    try {
      Files.createDirectories(root());
      filler.fill(staging);
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (!Files.exists(target)) {
        throw new UncheckedIOException("cannot unpack " + name + " into " + root(), e);
      }
      // another JVM published the same entry first
    } finally {
      FileTrees.deleteQuietly(staging);
    }
    return target;
  }
}
