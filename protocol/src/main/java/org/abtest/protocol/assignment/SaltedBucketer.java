package org.abtest.protocol.assignment;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Buckets one unit under many salts, bit for bit as {@link Bucketing#bucket} (32-bit murmur3 of
 * {@code salt + "/" + unit}, which the tests check against commons-codec on random inputs), with
 * the salt's share of the work done once per manifest: murmur3 consumes 4-byte blocks, so the state
 * after the whole blocks of {@code salt + "/"} is a constant of the salt ({@link Prefix}). Per
 * salt, a request copies at most 3 leftover prefix bytes in front of the unit's bytes and hashes
 * from there. One instance serves one evaluation on one thread.
 */
final class SaltedBucketer {

  private static final VarHandle LITTLE_ENDIAN_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int C1 = 0xcc9e2d51;
  private static final int C2 = 0x1b873593;
  private static final int ROOM = 3;

  /**
   * A salt as murmur3 leaves it: the state after the whole 4-byte blocks of {@code salt + "/"}, the
   * 0 to 3 bytes after them, and the prefix length (part of the final mix).
   */
  record Prefix(int state, byte[] rest, int length) {}

  private final byte[] buffer;

  SaltedBucketer(String unit) {
    byte[] unitBytes = unit.getBytes(StandardCharsets.UTF_8);
    this.buffer = new byte[ROOM + unitBytes.length];
    System.arraycopy(unitBytes, 0, buffer, ROOM, unitBytes.length);
  }

  static Prefix prefix(String salt) {
    byte[] bytes = (salt + "/").getBytes(StandardCharsets.UTF_8);
    int whole = bytes.length & ~3;
    int h = 0;
    for (int i = 0; i < whole; i += 4) {
      h = mixBlock(h, (int) LITTLE_ENDIAN_INT.get(bytes, i));
    }
    byte[] rest = new byte[bytes.length - whole];
    System.arraycopy(bytes, whole, rest, 0, rest.length);
    return new Prefix(h, rest, bytes.length);
  }

  /** {@code bucket(salt, unit)} for the salt whose {@link #prefix} this is. */
  int bucket(Prefix prefix) {
    byte[] rest = prefix.rest();
    int from = ROOM - rest.length;
    for (int i = 0; i < rest.length; i++) {
      buffer[from + i] = rest[i];
    }
    int h = prefix.state();
    int end = buffer.length;
    int whole = from + ((end - from) & ~3);
    for (int i = from; i < whole; i += 4) {
      h = mixBlock(h, (int) LITTLE_ENDIAN_INT.get(buffer, i));
    }
    int k = 0;
    switch (end - whole) {
      case 3:
        k ^= (buffer[whole + 2] & 0xff) << 16;
      // fall through
      case 2:
        k ^= (buffer[whole + 1] & 0xff) << 8;
      // fall through
      case 1:
        k ^= buffer[whole] & 0xff;
        h ^= Integer.rotateLeft(k * C1, 15) * C2;
        break;
      default:
        break;
    }
    h ^= prefix.length() + (end - ROOM);
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return (int) ((Integer.toUnsignedLong(h) * Bucketing.BUCKETS) >>> 32);
  }

  private static int mixBlock(int h, int k) {
    h ^= Integer.rotateLeft(k * C1, 15) * C2;
    return Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
  }
}
