package org.abtest.analytics.units;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.protocol.experiment.MetricCap;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.abtest.protocol.experiment.MetricSource;

/**
 * A partition's unit state as bytes, for snapshots. A plain binary layout of the primitive arrays
 * rather than CBOR: a million units are tens of megabytes, and a reflective encoding of them would
 * cost seconds and copies. Partial sums are stored as they are, not recomputed, so a restored state
 * continues with the very same floating-point values it had.
 */
public final class PartitionStateCodec {

  /**
   * 7: a ratio metric (kind ratio, event written empty) is followed by its numerator's and
   * denominator's event and aggregate; 6 and older hold no ratio metric and read as before. 6: each
   * metric's fixed cap (NaN for none); 5 is read as uncapped. 5: each table's phase start (its
   * definition's {@code startedAt}, for {@link PhaseRule} when nothing else names the phase). 4
   * (without it: read with the start unknown): event ids as 128-bit fingerprints. 3 (with CUPED
   * covariates: pre-exposure history, per-unit x, sums of x, x², xy) and 2 (x = 0 for the units it
   * holds, see docs/aggregation.md) are read too; their 64-bit id hashes are kept as they are until
   * they leave the window. 1 is read like 2 (it has no earliest exposure to skip), except a funnel:
   * it kept one time per unit, not each step's earliest, so a layout-1 state with a funnel cannot
   * be restored exactly and is refused with {@link IllegalArgumentException} (the restore then
   * decides, RestoreDecision).
   */
  static final int VERSION = 7;

  private static final int OLDEST = 1;

  /** A phase start not known (a valid start is an epoch millisecond after 1970). */
  private static final long NO_START = Long.MIN_VALUE;

  private PartitionStateCodec() {}

  /** The state in one array: for tests and small states; snapshots use {@link #encodeChunks}. */
  public static byte[] encode(PartitionState s) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    encodeChunks(s, 1 << 16).forEach(all::writeBytes);
    return all.toByteArray();
  }

  /**
   * The state as chunks of {@code chunkBytes} (the last one shorter), written as they are encoded:
   * memory for the encoding is the state's size once, in pieces, never one buffer of it all.
   */
  public static List<byte[]> encodeChunks(PartitionState s, int chunkBytes) {
    ChunkedOutput chunks = new ChunkedOutput(chunkBytes);
    try (DataOutputStream out = new DataOutputStream(chunks)) {
      out.writeInt(VERSION);
      out.writeLong(s.streamTime);
      out.writeLong(s.duplicates);
      out.writeLong(s.unknownExposures);
      StateSections.writeDedup(out, s.dedup);
      StateSections.writeHeld(out, s.pending);
      writeHistory(out, s.history);
      var tables = s.allTables();
      out.writeInt(tables.size());
      for (UnitTable t : tables) {
        writeTable(out, t);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return chunks.chunks();
  }

  private static void writeHistory(DataOutputStream out, CovariateHistory h) throws IOException {
    int k = h.perUnit();
    out.writeInt(h.size);
    for (int slot = 0; slot < h.size; slot++) {
      out.writeLong(h.keys[slot]);
      out.writeByte(h.count[slot]);
      for (int i = 0; i < h.count[slot]; i++) {
        out.writeLong(h.ts[slot * k + i]);
        out.writeDouble(h.values[slot * k + i]);
      }
      out.writeDouble(h.foldSum[slot]);
      out.writeLong(h.foldFrom[slot]);
      out.writeLong(h.foldTo[slot]);
    }
  }

  private static void readHistory(DataInputStream in, CovariateHistory h) throws IOException {
    int entries = in.readInt();
    for (int e = 0; e < entries; e++) {
      long key = in.readLong();
      int n = in.readByte();
      long[] at = new long[n];
      double[] value = new double[n];
      for (int i = 0; i < n; i++) {
        at[i] = in.readLong();
        value[i] = in.readDouble();
      }
      h.restore(key, at, value, in.readDouble(), in.readLong(), in.readLong());
    }
  }

  private static void writeTable(DataOutputStream out, UnitTable t) throws IOException {
    ExperimentDefinition d = t.definition;
    out.writeUTF(d.key());
    out.writeInt(d.phase());
    out.writeInt(d.metrics().size());
    for (MetricDefinition m : d.metrics()) {
      out.writeUTF(m.key());
      out.writeUTF(m.isRatio() ? "" : m.event());
      out.writeInt(m.kind().ordinal());
      out.writeInt(m.attributionWindowHours() == null ? -1 : m.attributionWindowHours());
      out.writeDouble(m.cap() == null ? Double.NaN : m.cap().value());
      if (m.isRatio()) {
        writeSource(out, m.numerator());
        writeSource(out, m.denominator());
      }
    }
    writeStrings(out, d.funnel());
    out.writeInt(d.funnelWindowHours() == null ? -1 : d.funnelWindowHours());
    out.writeLong(d.startedAt() == null ? NO_START : d.startedAt().toEpochMilli());
    out.writeLong(t.lookback);
    writeStrings(out, t.variants);
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
    for (int i = 0; i < v * m; i++) {
      out.writeDouble(t.sumX[i]);
      out.writeDouble(t.sumXSquares[i]);
      out.writeDouble(t.sumXY[i]);
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
      for (int j = 0; j < t.covariateMeans(); j++) {
        out.writeDouble(t.covMean[i * t.covariateMeans() + j]);
      }
      out.write(t.covBits, i * t.covariateBitBytes(), t.covariateBitBytes());
      if (k > 0) {
        out.writeByte(t.funnelStep[i]);
        for (int s = 0; s < k; s++) {
          out.writeLong(t.funnelAt[i * k + s]);
        }
      }
    }
  }

  /**
   * Whether {@code data} (its first 4 bytes suffice) is in a layout this codec reads: 7 to 1 (a
   * layout-1 state with a funnel still fails to decode, see {@link #VERSION}).
   */
  public static boolean readable(byte[] data) {
    if (data.length < 4) {
      return false;
    }
    int version =
        (data[0] & 0xff) << 24 | (data[1] & 0xff) << 16 | (data[2] & 0xff) << 8 | data[3] & 0xff;
    return version >= OLDEST && version <= VERSION;
  }

  public static PartitionState decode(
      byte[] data,
      UnitHasher hasher,
      Function<String, ExperimentDefinition> definitions,
      UnitStateSettings settings) {
    return decode(data, hasher, definitions, type -> true, settings);
  }

  public static PartitionState decode(
      byte[] data,
      UnitHasher hasher,
      Function<String, ExperimentDefinition> definitions,
      Predicate<String> covariateEvents,
      UnitStateSettings settings) {
    return decode(new ByteArrayInputStream(data), hasher, definitions, covariateEvents, settings);
  }

  /** Reads a state from a stream (a snapshot's chunks one after the other), never all at once. */
  public static PartitionState decode(
      InputStream data,
      UnitHasher hasher,
      Function<String, ExperimentDefinition> definitions,
      Predicate<String> covariateEvents,
      UnitStateSettings settings) {
    PartitionState s = new PartitionState(hasher, definitions, covariateEvents, settings);
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(data, 1 << 16))) {
      int version = in.readInt();
      if (version < OLDEST || version > VERSION) {
        throw new IllegalArgumentException("unknown unit state snapshot version " + version);
      }
      s.streamTime = in.readLong();
      s.duplicates = in.readLong();
      s.unknownExposures = in.readLong();
      StateSections.readDedup(in, s.dedup, version);
      StateSections.readHeld(in, s.pending, version);
      boolean covariates = version >= 3;
      if (covariates) {
        readHistory(in, s.history);
      }
      s.history.sweptAt(s.streamTime);
      int tables = in.readInt();
      for (int i = 0; i < tables; i++) {
        s.restoreTable(readTable(in, s, version));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s;
  }

  private static void writeSource(DataOutputStream out, MetricSource side) throws IOException {
    out.writeUTF(side.event());
    out.writeInt(side.aggregate().ordinal());
  }

  private static MetricSource readSource(DataInputStream in) throws IOException {
    String event = in.readUTF();
    return new MetricSource(event, MetricSource.Aggregate.values()[in.readInt()]);
  }

  private static UnitTable readTable(DataInputStream in, PartitionState s, int version)
      throws IOException {
    boolean covariates = version >= 3;
    String key = in.readUTF();
    int phase = in.readInt();
    List<MetricDefinition> metrics = new ArrayList<>();
    int metricCount = in.readInt();
    for (int j = 0; j < metricCount; j++) {
      String mk = in.readUTF();
      String event = in.readUTF();
      MetricKind kind = MetricKind.values()[in.readInt()];
      int window = in.readInt();
      double cap = version >= 6 ? in.readDouble() : Double.NaN;
      MetricCap fixed = Double.isNaN(cap) ? null : MetricCap.fixed(cap);
      Integer hours = window < 0 ? null : window;
      metrics.add(
          kind == MetricKind.RATIO
              ? MetricDefinition.ratio(mk, readSource(in), readSource(in), hours, fixed)
              : new MetricDefinition(mk, event, kind, hours, null, fixed));
    }
    List<String> funnel = readStrings(in);
    int funnelWindow = in.readInt();
    long start = version >= 5 ? in.readLong() : NO_START;
    long lookback = covariates ? in.readLong() : -1;
    var definition =
        new ExperimentDefinition(
                key, phase, metrics, funnel, funnelWindow < 0 ? null : funnelWindow)
            .withStartedAt(start == NO_START ? null : Instant.ofEpochMilli(start));
    if (version == 1 && !funnel.isEmpty()) {
      throw new IllegalArgumentException(
          "a layout-1 snapshot has no per-step funnel times (experiment "
              + key
              + " has a funnel): it cannot be restored exactly");
    }
    List<String> variants = readStrings(in);
    int size;
    UnitTable t = lookback < 0 ? s.newTable(definition, 16) : s.newTable(definition, 16, lookback);
    t.variants.addAll(variants);
    int v = variants.size();
    int m = t.metricCount();
    int k = t.funnelLength();
    t.unitsPerVariant = new long[v];
    t.sum = new double[v * m];
    t.sumSquares = new double[v * m];
    t.sumX = new double[v * m];
    t.sumXSquares = new double[v * m];
    t.sumXY = new double[v * m];
    t.funnelCounts = new long[v * k];
    for (int i = 0; i < v; i++) {
      t.unitsPerVariant[i] = in.readLong();
    }
    for (int i = 0; i < v * m; i++) {
      t.sum[i] = in.readDouble();
      t.sumSquares[i] = in.readDouble();
    }
    if (covariates) {
      for (int i = 0; i < v * m; i++) {
        t.sumX[i] = in.readDouble();
        t.sumXSquares[i] = in.readDouble();
        t.sumXY[i] = in.readDouble();
      }
    }
    for (int i = 0; i < v * k; i++) {
      t.funnelCounts[i] = in.readLong();
    }
    t.multipleExposureUnits = in.readLong();
    size = in.readInt();
    int cap = Math.max(16, size + (size >> 2));
    t.units = new long[cap];
    t.exposedAt = new long[cap];
    t.meta = new byte[cap];
    t.values = new double[cap * m];
    t.funnelStep = new byte[k > 0 ? cap : 0];
    t.funnelAt = new long[cap * k];
    int means = t.covariateMeans();
    int bits = t.covariateBitBytes();
    t.covMean = new double[cap * means];
    t.covBits = new byte[cap * bits];
    for (int i = 0; i < size; i++) {
      t.units[i] = in.readLong();
      t.exposedAt[i] = in.readLong();
      if (version == 2 || version == 3) {
        in.readLong(); // the earliest exposure's ts: no longer a rule (docs/decisions.md)
      }
      t.meta[i] = in.readByte();
      for (int j = 0; j < m; j++) {
        t.values[i * m + j] = in.readDouble();
      }
      if (covariates) {
        for (int j = 0; j < means; j++) {
          t.covMean[i * means + j] = in.readDouble();
        }
        in.readFully(t.covBits, i * bits, bits);
      }
      if (k > 0) {
        t.funnelStep[i] = in.readByte();
        for (int step = 0; step < k; step++) {
          t.funnelAt[i * k + step] = in.readLong();
        }
      }
    }
    t.size = size;
    t.reindex();
    return t;
  }

  private static void writeStrings(DataOutputStream out, List<String> strings) throws IOException {
    out.writeInt(strings.size());
    for (String s : strings) {
      out.writeUTF(s);
    }
  }

  private static List<String> readStrings(DataInputStream in) throws IOException {
    int n = in.readInt();
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(in.readUTF());
    }
    return out;
  }
}
