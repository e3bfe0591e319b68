package org.abtest.analytics.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ByteSinkTest {

  @Test
  void holdsExactlyWhatAByteArrayOutputStreamWouldThroughEveryGrowth() throws Exception {
    SplittableRandom random = new SplittableRandom(3);
    ByteSink sink = new ByteSink(1);
    ByteArrayOutputStream reference = new ByteArrayOutputStream();
    try (DataOutputStream a = new DataOutputStream(sink);
        DataOutputStream b = new DataOutputStream(reference)) {
      for (int i = 0; i < 100_000; i++) {
        switch (random.nextInt(4)) {
          case 0 -> {
            long v = random.nextLong();
            a.writeLong(v);
            b.writeLong(v);
          }
          case 1 -> {
            int v = random.nextInt();
            a.writeByte(v);
            b.writeByte(v);
          }
          case 2 -> {
            String s = "unit-" + random.nextInt();
            a.writeUTF(s);
            b.writeUTF(s);
          }
          default -> {
            byte[] chunk = new byte[random.nextInt(300)];
            random.nextBytes(chunk);
            int off = chunk.length == 0 ? 0 : random.nextInt(chunk.length);
            a.write(chunk, off, chunk.length - off);
            b.write(chunk, off, chunk.length - off);
          }
        }
      }
    }
    assertThat(sink.toByteArray()).isEqualTo(reference.toByteArray());
  }

  @Test
  void aSliceOutsideTheArrayIsRefused() {
    ByteSink sink = new ByteSink(4);
    assertThatThrownBy(() -> sink.write(new byte[2], 1, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
