package org.cytolake.lake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * SHA-256 fingerprints of what an incremental step depends on (configuration files, a directory
 * of strategies), compared with the fingerprint the step recorded in {@link LakeState}.
 */
public final class Fingerprints {
  private Fingerprints() {}

  /** Hex SHA-256 of bytes. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Hex SHA-256 of a string's UTF-8 bytes. */
  public static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Fingerprint of the named files of a directory ({@code -} for a missing one). */
  public static String files(Path dir, List<String> names) throws IOException {
    StringBuilder all = new StringBuilder();
    for (String n : names) {
      Path p = dir.resolve(n);
      all.append(n)
          .append('=')
          .append(Files.exists(p) ? sha256(Files.readAllBytes(p)) : "-")
          .append(';');
    }
    return sha256(all.toString());
  }

  /** Fingerprint of every regular file directly in a directory ({@code -} when absent). */
  public static String directory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return "-";
    }
    try (var s = Files.list(dir)) {
      return files(
          dir,
          s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList());
    }
  }
}
