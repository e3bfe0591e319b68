package org.abtest.analytics.units;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An output stream cut into chunks of a fixed size, each its own array: a snapshot is written to
 * Cassandra chunk by chunk as it was encoded, with no buffer of the whole state and no copy of it
 * (the encoder used to grow one buffer, copy it whole, then copy each chunk out of it: three times
 * the state at once, where a 1 GB node died).
 */
final class ChunkedOutput extends OutputStream {

  private final int size;
  private final List<byte[]> chunks = new ArrayList<>();
  private byte[] current;
  private int at;

  ChunkedOutput(int chunkBytes) {
    this.size = chunkBytes;
  }

  @Override
  public void write(int b) {
    room();
    current[at++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    while (len > 0) {
      room();
      int n = Math.min(len, size - at);
      System.arraycopy(b, off, current, at, n);
      at += n;
      off += n;
      len -= n;
    }
  }

  private void room() {
    if (current == null || at == size) {
      current = new byte[size];
      chunks.add(current);
      at = 0;
    }
  }

  /** The chunks, each full but the last, which is trimmed (one small copy). */
  List<byte[]> chunks() {
    if (current != null && at < size) {
      byte[] last = new byte[at];
      System.arraycopy(current, 0, last, 0, at);
      chunks.set(chunks.size() - 1, last);
      current = last;
      at = last.length;
    }
    return chunks;
  }
}
