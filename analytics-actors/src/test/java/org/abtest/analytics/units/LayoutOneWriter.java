package org.abtest.analytics.units;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.abtest.protocol.experiment.MetricDefinition;

/**
 * Writes a state in snapshot layout 1, as the first codec wrote it (commit 13805fb,
 * PartitionStateCodec.encode with VERSION = 1), for the decoder's tests: ids as 64-bit hashes (the
 * first half of today's fingerprints), the live held events, and per table no covariates, no
 * lookback, no earliest exposure, and one funnel time per unit (here its last reached step's).
 */
final class LayoutOneWriter {

  private LayoutOneWriter() {}

  static byte[] write(PartitionState s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(1);
      out.writeLong(s.streamTime);
      out.writeLong(s.duplicates);
      out.writeLong(s.unknownExposures);
      List<Fingerprints> buckets = s.dedup.buckets();
      out.writeInt(buckets.size());
      for (Fingerprints b : buckets) {
        List<Long> ids = new ArrayList<>();
        b.forEach((hi, lo) -> ids.add(hi));
        out.writeLong(b.start());
        out.writeInt(ids.size());
        for (long id : ids) {
          out.writeLong(id);
        }
      }
      List<Object[]> held = new ArrayList<>();
      s.pending.forEachSlot(
          new HeldEvents.SlotVisitor() {
            @Override
            public void held(long unit, String type, double value, long ts, long arrival) {
              held.add(new Object[] {unit, type, value, ts, arrival});
            }

            @Override
            public void freed(long arrival) {}
          });
      out.writeInt(held.size());
      for (Object[] h : held) {
        out.writeLong((Long) h[0]);
        out.writeUTF((String) h[1]);
        out.writeDouble((Double) h[2]);
        out.writeLong((Long) h[3]);
        out.writeLong((Long) h[4]);
      }
      var tables = s.allTables();
      out.writeInt(tables.size());
      for (UnitTable t : tables) {
        writeTable(out, t);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void writeTable(DataOutputStream out, UnitTable t) throws IOException {
    ExperimentDefinition d = t.definition;
    out.writeUTF(d.key());
    out.writeInt(d.phase());
    out.writeInt(d.metrics().size());
    for (MetricDefinition m : d.metrics()) {
      out.writeUTF(m.key());
      out.writeUTF(m.event());
      out.writeInt(m.kind().ordinal());
      out.writeInt(m.attributionWindowHours() == null ? -1 : m.attributionWindowHours());
    }
    strings(out, d.funnel());
    out.writeInt(d.funnelWindowHours() == null ? -1 : d.funnelWindowHours());
    strings(out, t.variants);
    int v = t.variants.size();
    int m = t.metricCount();
    int k = t.funnelLength();
    for (int i = 0; i < v; i++) {
      out.writeLong(t.unitsPerVariant[i]);
    }
    for (int i = 0; i < v * m; i++) {
      out.writeDouble(t.sum[i]);
      out.writeDouble(t.sumSquares[i]);
    }
    for (int i = 0; i < v * k; i++) {
      out.writeLong(t.funnelCounts[i]);
    }
    out.writeLong(t.multipleExposureUnits);
    out.writeInt(t.size);
    for (int i = 0; i < t.size; i++) {
      out.writeLong(t.units[i]);
      out.writeLong(t.exposedAt[i]);
      out.writeByte(t.meta[i]);
      for (int j = 0; j < m; j++) {
        out.writeDouble(t.values[i * m + j]);
      }
      if (k > 0) {
        out.writeByte(t.funnelStep[i]);
        int reached = t.funnelStep[i];
        out.writeLong(reached > 0 ? t.funnelAt[i * k + reached - 1] : 0);
      }
    }
  }

  private static void strings(DataOutputStream out, List<String> strings) throws IOException {
    out.writeInt(strings.size());
    for (String s : strings) {
      out.writeUTF(s);
    }
  }
}
