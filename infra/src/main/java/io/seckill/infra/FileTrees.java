package io.seckill.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deletes directory trees. */
final class FileTrees {

  private FileTrees() {}

  /** Best effort: another JVM may be deleting the same tree, so vanished files are fine. */
  static void deleteQuietly(Path root) {
    try {
      delete(root);
    } catch (UncheckedIOException ignored) {
      // left for the next orphan scan
    }
  }

  static void delete(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(FileTrees::deleteOne);
    } catch (NoSuchFileException ignored) {
      // deleted meanwhile
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteOne(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
