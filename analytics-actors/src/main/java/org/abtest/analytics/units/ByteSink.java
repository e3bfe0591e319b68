package org.abtest.analytics.units;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte array without {@link java.io.ByteArrayOutputStream}'s locks. A snapshot writes a
 * few primitives per unit, millions of times, and taking that stream's monitor on each write was
 * most of what encoding a large partition cost.
 */
final class ByteSink extends OutputStream {

  private byte[] buf;
  private int size;

  ByteSink(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  @Override
  public void write(int b) {
    ensure(1);
    buf[size++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
  }

  private void ensure(int more) {
    if (buf.length - size < more) {
      long wanted = Math.max((long) buf.length * 2, (long) size + more);
      if (wanted > Integer.MAX_VALUE - 8) {
        throw new OutOfMemoryError("snapshot larger than a byte array can hold");
      }
      buf = Arrays.copyOf(buf, (int) wanted);
    }
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }
}
