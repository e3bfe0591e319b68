package org.abtest.protocol.assignment;

import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * The normative hash of DESIGN.md §3: {@code floor(murmur3_x86_32(utf8(salt + "/" + unit), seed 0)
 * as unsigned × 10000 / 2^32)}. Server, SDK and every region must agree on it to the bit, so it
 * lives here once.
 */
public final class Bucketing {

  /** Buckets are basis points: [0, 10000). */
  public static final int BUCKETS = 10_000;

  private Bucketing() {}

  /** The unsigned 32-bit murmur3 hash of {@code salt + "/" + unit}, as a non-negative long. */
  public static long hash(String salt, String unit) {
    byte[] bytes = (salt + "/" + unit).getBytes(StandardCharsets.UTF_8);
    return Integer.toUnsignedLong(MurmurHash3.hash32x86(bytes, 0, bytes.length, 0));
  }

  /** The unit's bucket under this salt, in [0, 10000). */
  public static int bucket(String salt, String unit) {
    return (int) ((hash(salt, unit) * BUCKETS) >>> 32);
  }
}
