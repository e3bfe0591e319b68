package org.abtest.protocol.experiment;

import com.fasterxml.jackson.annotation.JsonFormat;
import org.abtest.protocol.CborSerializable;

/**
 * A half-open range of buckets or layer slots, {@code [start, end)}, written as {@code [0, 5000]}.
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
public record SlotRange(int start, int end) implements CborSerializable {

  public boolean contains(int slot) {
    return slot >= start && slot < end;
  }

  public boolean overlaps(SlotRange other) {
    return start < other.end && other.start < end;
  }

  public int width() {
    return end - start;
  }
}
