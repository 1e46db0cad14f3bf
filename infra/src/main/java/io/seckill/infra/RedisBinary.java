package io.seckill.infra;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.core.ExecutableProvider;
import redis.embedded.model.OsArchitecture;

/** The redis-server executable bundled in the embedded-redis jar, copied out once. */
final class RedisBinary {

  private RedisBinary() {}

  static Path path() {
    String resource =
        ExecutableProvider.newProvidedVersionsMap().get(OsArchitecture.detectOSandArchitecture());
    if (resource == null) {
      throw new IllegalStateException(
          "embedded-redis bundles no redis-server for this OS/architecture");
    }
    String name = resource.substring(resource.lastIndexOf('/') + 1);
    Path dir =
        BinaryCache.entry(
            name,
            target -> {
              Files.createDirectories(target);
              try (InputStream in = RedisBinary.class.getResourceAsStream(resource)) {
                if (in == null) {
                  throw new IOException("resource " + resource + " is missing");
                }
                // named redis-server so that the process is recognisable in ps and in orphan
                // cleanup
                Path binary = target.resolve("redis-server");
                Files.copy(in, binary);
                binary.toFile().setExecutable(true, false);
              }
            });
    return dir.resolve("redis-server");
  }
}
