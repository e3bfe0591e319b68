package org.abtest.protocol.assignment;

import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Buckets one unit under many salts without building {@code salt + "/" + unit} as a string each
 * time: the unit's UTF-8 bytes sit at the end of one buffer and each salt's prefix (with its slash)
 * is copied right before them. The result is bit-for-bit {@link Bucketing#bucket}, which the tests
 * check. One instance serves one evaluation on one thread.
 */
final class SaltedBucketer {

  private final byte[] buffer;
  private final int unitStart;

  SaltedBucketer(String unit, int longestPrefix) {
    byte[] unitBytes = unit.getBytes(StandardCharsets.UTF_8);
    this.buffer = new byte[longestPrefix + unitBytes.length];
    this.unitStart = longestPrefix;
    System.arraycopy(unitBytes, 0, buffer, unitStart, unitBytes.length);
  }

  /** The UTF-8 bytes of {@code salt + "/"}, which {@link #bucket} takes. */
  static byte[] prefix(String salt) {
    return (salt + "/").getBytes(StandardCharsets.UTF_8);
  }

  /** {@code bucket(salt, unit)} for the salt whose {@link #prefix} this is. */
  int bucket(byte[] prefix) {
    int from = unitStart - prefix.length;
    System.arraycopy(prefix, 0, buffer, from, prefix.length);
    int hash = MurmurHash3.hash32x86(buffer, from, buffer.length - from, 0);
    return (int) ((Integer.toUnsignedLong(hash) * Bucketing.BUCKETS) >>> 32);
  }
}
