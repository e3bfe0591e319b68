package org.abtest.analytics.units;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The dedup window and the held events in a snapshot (see {@link PartitionStateCodec}). */
final class StateSections {

  private StateSections() {}

  static void writeDedup(DataOutputStream out, DedupWindow dedup) throws IOException {
    var buckets = dedup.buckets();
    out.writeInt(buckets.size());
    for (Fingerprints b : buckets) {
      out.writeLong(b.start());
      out.writeInt(b.size());
      b.forEach(
          (hi, lo) -> {
            try {
              out.writeLong(hi);
              out.writeLong(lo);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
    out.writeInt(dedup.legacyBuckets().size());
    for (DedupWindow.LegacyBucket b : dedup.legacyBuckets()) {
      writeLegacyBucket(out, b.start(), b.ids().toArray());
    }
  }

  static void writeLegacyBucket(DataOutputStream out, long start, long[] ids) throws IOException {
    out.writeLong(start);
    out.writeInt(ids.length);
    for (long id : ids) {
      out.writeLong(id);
    }
  }

  static void readDedup(DataInputStream in, DedupWindow dedup, int version) throws IOException {
    if (version >= 4) {
      int buckets = in.readInt();
      for (int b = 0; b < buckets; b++) {
        long start = in.readLong();
        int n = in.readInt();
        long[] hi = new long[n];
        long[] lo = new long[n];
        for (int i = 0; i < n; i++) {
          hi[i] = in.readLong();
          lo[i] = in.readLong();
        }
        dedup.restore(ClosedFingerprints.of(start, hi, lo, n));
      }
    }
    int legacy = in.readInt();
    for (int b = 0; b < legacy; b++) {
      long start = in.readLong();
      long[] ids = new long[in.readInt()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = in.readLong();
      }
      dedup.restoreLegacy(start, ids);
    }
  }

  /**
   * Version 4 writes every ring slot, freed ones too (their place decides when the total bound
   * evicts); older versions wrote the live events only.
   */
  static void writeHeld(DataOutputStream out, HeldEvents held) throws IOException {
    out.writeInt(held.occupied());
    held.forEachSlot(
        new HeldEvents.SlotVisitor() {
          @Override
          public void held(long unit, String type, double value, long ts, long arrival) {
            try {
              out.writeBoolean(true);
              out.writeLong(unit);
              out.writeUTF(type);
              out.writeDouble(value);
              out.writeLong(ts);
              out.writeLong(arrival);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }

          @Override
          public void freed(long arrival) {
            try {
              out.writeBoolean(false);
              out.writeLong(arrival);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        });
  }

  static void readHeld(DataInputStream in, HeldEvents held, int version) throws IOException {
    int slots = in.readInt();
    for (int i = 0; i < slots; i++) {
      if (version < 4 || in.readBoolean()) {
        held.hold(in.readLong(), in.readUTF(), in.readDouble(), in.readLong(), in.readLong());
      } else {
        held.appendFreed(in.readLong());
      }
    }
  }
}
