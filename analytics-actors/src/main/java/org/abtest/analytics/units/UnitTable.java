package org.abtest.analytics.units;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;

/**
 * The units of one experiment phase in one partition, in dense primitive arrays (one slot per
 * unit), with the partial sums that their values add up to. Sums change only by the change in one
 * unit's value, so they stay exact without revisiting other units.
 *
 * <p>Mutable on purpose, like the rest of unit state: it grows with units and is owned by one
 * partition actor; copying it per event would make ingestion quadratic.
 */
final class UnitTable implements LongIndex.Keys {

  static final int MAX_VARIANTS = 127;
  private static final byte MULTIPLE = (byte) 0x80;
  private static final long HOUR = 3_600_000L;
  static final long NONE = Long.MAX_VALUE;

  final ExperimentDefinition definition;
  final List<String> variants = new ArrayList<>();
  private final int m; // metrics
  private final int k; // funnel steps
  private final long[] windows; // per metric, millis or Long.MAX_VALUE
  private final long funnelWindow;
  private final long[] lookbacks; // per metric: the covariate window before exposure, millis
  final long lookback; // the cap of every metric's covariate window, fixed with the definition
  // per metric: index into covMean (mean: covariate; ratio: denominator) or bit of covBits
  private final int[] covAt;
  private final int meanCount; // mean and ratio metrics: one double each
  private final int bitBytes; // proportion metrics: one bit of covariate each

  private final LongIndex index;
  int size;
  long[] units;
  long[] exposedAt; // ts of the first exposure in log order: start of the attribution windows
  byte[] meta; // variant index | MULTIPLE
  double[] values; // m per slot
  byte[] funnelStep; // k > 0 only: steps reached
  long[] funnelAt; // k per slot: earliest ts of each step's event in the window, or NONE
  double[] covMean; // meanCount per slot: covariate x of each mean metric, ratio's denominator
  byte[] covBits; // bitBytes per slot: covariate x (0/1) of each proportion metric

  long[] unitsPerVariant = new long[0];
  double[] sum = new double[0]; // variant * m + metric
  double[] sumSquares = new double[0];
  double[] sumX =
      new double[0]; // variant * m + metric: the covariate's (ratio: denominator's) sums
  double[] sumXSquares = new double[0];
  double[] sumXY = new double[0];
  long[] funnelCounts = new long[0]; // variant * k + step
  long multipleExposureUnits;

  /** Units per weight epoch × variant (for SRM), from the epochs known for the phase. */
  final EpochCounts epochCounts;

  /**
   * @param lookback the covariate window of a metric without an attribution window, and the cap of
   *     every metric's (a metric's covariate window is its attribution window, at most this)
   */
  UnitTable(ExperimentDefinition definition, int expectedUnits, long lookback) {
    this.definition = definition;
    this.epochCounts = new EpochCounts(definition.epochs());
    this.m = definition.metrics().size();
    this.k = definition.funnel().size();
    this.windows = new long[m];
    this.lookback = lookback;
    this.lookbacks = new long[m];
    this.covAt = new int[m];
    int means = 0;
    int bits = 0;
    for (int j = 0; j < m; j++) {
      MetricDefinition metric = definition.metrics().get(j);
      windows[j] = window(metric.attributionWindowHours());
      lookbacks[j] = Math.min(windows[j], lookback);
      covAt[j] = metric.kind() == MetricKind.PROPORTION ? bits++ : means++;
    }
    this.meanCount = means;
    this.bitBytes = (bits + 7) / 8;
    this.funnelWindow = window(definition.funnelWindowHours());
    int cap = Math.max(16, expectedUnits);
    index = new LongIndex(cap);
    units = new long[cap];
    exposedAt = new long[cap];
    meta = new byte[cap];
    values = new double[cap * m];
    funnelStep = new byte[k > 0 ? cap : 0];
    funnelAt = new long[cap * k];
    covMean = new double[cap * meanCount];
    covBits = new byte[cap * bitBytes];
  }

  private static long window(Integer hours) {
    return hours == null ? Long.MAX_VALUE : hours * HOUR;
  }

  @Override
  public long keyAt(int slot) {
    return units[slot];
  }

  /** The index of the variant a unit's first exposure was to. */
  int variantIndex(int slot) {
    return meta[slot] & 0x7f;
  }

  int slotOf(long unit) {
    return index.find(unit, this);
  }

  /**
   * Records an exposure. Returns the new unit's slot when this is its first exposure, else -1. The
   * first exposure in log order fixes the unit's variant and starts its attribution windows; a
   * later one to another variant marks the unit as multiply exposed, once, and moves nothing,
   * whatever its ts (a back-dated exposure moved units with their sums: one request moved 500).
   */
  int expose(long unit, String variant, long ts) {
    int slot = slotOf(unit);
    if (slot >= 0) {
      if ((meta[slot] & MULTIPLE) == 0 && !variants.get(meta[slot] & 0x7f).equals(variant)) {
        meta[slot] |= MULTIPLE;
        multipleExposureUnits++;
      }
      return -1;
    }
    int v = variantIndex(variant);
    if (v < 0) {
      return -1;
    }
    if (size == units.length) {
      grow();
    }
    slot = size++;
    units[slot] = unit;
    exposedAt[slot] = ts;
    meta[slot] = (byte) v;
    for (int s = 0; s < k; s++) {
      funnelAt[slot * k + s] = NONE;
    }
    index.add(unit, slot, this);
    unitsPerVariant[v]++;
    epochCounts.add(ts, v);
    return slot;
  }

  /**
   * Applies one metric event to the unit in {@code slot}; true when a number changed. An event
   * before the exposure (by {@code ts}) that arrives after it changes the covariate when it falls
   * in the covariate window and {@code covariate} is set (events that arrived before the exposure
   * are already in the covariate from {@link CovariateHistory}).
   */
  boolean apply(int slot, String eventType, double value, long ts, boolean covariate) {
    long start = exposedAt[slot];
    if (ts < start) {
      return covariate && applyCovariate(slot, eventType, value, ts, start);
    }
    int v = meta[slot] & 0x7f;
    boolean changed = false;
    for (int j = 0; j < m; j++) {
      MetricDefinition metric = definition.metrics().get(j);
      if (!metric.reads(eventType) || ts - start >= windows[j]) {
        continue;
      }
      if (metric.isRatio()) {
        changed |= applyRatio(slot, j, metric, eventType, value);
        continue;
      }
      double old = values[slot * m + j];
      changed |= setValue(slot, j, metric.kind() == MetricKind.PROPORTION ? 1.0 : old + value);
    }
    if (k > 0 && ts - start < funnelWindow) {
      boolean earlier = false;
      for (int s = 0; s < k; s++) {
        if (definition.funnel().get(s).equals(eventType) && ts < funnelAt[slot * k + s]) {
          funnelAt[slot * k + s] = ts;
          earlier = true;
        }
      }
      if (earlier) {
        int before = funnelStep[slot];
        int now = reached(slot);
        if (now != before) {
          for (int s = Math.min(before, now); s < Math.max(before, now); s++) {
            funnelCounts[v * k + s] += now > before ? 1 : -1;
          }
          funnelStep[slot] = (byte) now;
          changed = true;
        }
      }
    }
    return changed;
  }

  /**
   * A ratio metric's event after exposure: the numerator is the unit's value (its sums move as a
   * mean's do), the denominator sits where a mean keeps its covariate, so the variant's sums of
   * that slot are Σd, Σd² and Σyd: the cross-moments the delta method reads. One event type may
   * feed both sides (revenue per purchase: a sum over a count of the same event).
   */
  private boolean applyRatio(
      int slot, int j, MetricDefinition metric, String eventType, double value) {
    boolean changed = false;
    if (metric.numerator().event().equals(eventType)) {
      changed |= setValue(slot, j, values[slot * m + j] + metric.numerator().contribution(value));
    }
    if (metric.denominator().event().equals(eventType)) {
      changed |=
          setCovariate(slot, j, rawCovariate(slot, j) + metric.denominator().contribution(value));
    }
    return changed;
  }

  /**
   * Sets the unit's value of metric {@code j}, moving its variant's sums by the change. The unit
   * keeps its true value; the sums move by the change of its capped value.
   */
  private boolean setValue(int slot, int j, double now) {
    double old = values[slot * m + j];
    if (now == old) {
      return false;
    }
    values[slot * m + j] = now;
    MetricDefinition metric = definition.metrics().get(j);
    int v = meta[slot] & 0x7f;
    double was = metric.counted(old);
    double is = metric.counted(now);
    sum[v * m + j] += is - was;
    sumSquares[v * m + j] += is * is - was * was;
    sumXY[v * m + j] += covariate(slot, j) * (is - was);
    return true;
  }

  private boolean applyCovariate(int slot, String eventType, double value, long ts, long start) {
    boolean changed = false;
    for (int j = 0; j < m; j++) {
      MetricDefinition metric = definition.metrics().get(j);
      // a ratio's second number is its denominator, after exposure: it has no covariate
      if (!metric.isRatio() && metric.event().equals(eventType) && start - ts <= lookbacks[j]) {
        double old = rawCovariate(slot, j);
        double now = metric.kind() == MetricKind.PROPORTION ? 1.0 : old + value;
        changed |= setCovariate(slot, j, now);
      }
    }
    return changed;
  }

  /**
   * The unit's second number of metric {@code j}: the covariate x of a mean or proportion, capped
   * as its value is, or the denominator of a ratio (a cap bounds the numerator only).
   */
  double covariate(int slot, int j) {
    MetricDefinition metric = definition.metrics().get(j);
    double x = rawCovariate(slot, j);
    return metric.isRatio() ? x : metric.counted(x);
  }

  /** The unit's pre-exposure sum of metric {@code j}, as kept. */
  private double rawCovariate(int slot, int j) {
    if (definition.metrics().get(j).kind() == MetricKind.PROPORTION) {
      int bit = covAt[j];
      return (covBits[slot * bitBytes + (bit >> 3)] >> (bit & 7) & 1) != 0 ? 1.0 : 0.0;
    }
    return covMean[slot * meanCount + covAt[j]];
  }

  /** Sets the unit's covariate x of metric {@code j}, moving the sums by the change. */
  boolean setCovariate(int slot, int j, double now) {
    double old = rawCovariate(slot, j);
    if (now == old) {
      return false;
    }
    MetricDefinition metric = definition.metrics().get(j);
    double was = metric.isRatio() ? old : metric.counted(old);
    double is = metric.isRatio() ? now : metric.counted(now);
    if (definition.metrics().get(j).kind() == MetricKind.PROPORTION) {
      int bit = covAt[j];
      int at = slot * bitBytes + (bit >> 3);
      covBits[at] =
          (byte) (now != 0 ? covBits[at] | (1 << (bit & 7)) : covBits[at] & ~(1 << (bit & 7)));
    } else {
      covMean[slot * meanCount + covAt[j]] = now;
    }
    int v = meta[slot] & 0x7f;
    double y = metric.counted(values[slot * m + j]);
    sumX[v * m + j] += is - was;
    sumXSquares[v * m + j] += is * is - was * was;
    sumXY[v * m + j] += (is - was) * y;
    return true;
  }

  /** The lookback of metric {@code j}'s covariate window, millis. */
  long lookback(int j) {
    return lookbacks[j];
  }

  /**
   * Funnel steps reached, by time and whatever the arrival order: step s+1 is reached when step s
   * is and the earliest event of step s+1 (in the window) is not before the earliest of step s.
   */
  private int reached(int slot) {
    long previous = exposedAt[slot];
    int s = 0;
    while (s < k) {
      long at = funnelAt[slot * k + s];
      if (at == NONE || at < previous) {
        break;
      }
      previous = at;
      s++;
    }
    return s;
  }

  /**
   * A new variant gets its index on first sight. Past {@link #MAX_VARIANTS} names (never a real
   * experiment; a client sending garbage) exposures are ignored rather than growing without bound.
   */
  private int variantIndex(String variant) {
    int v = variants.indexOf(variant);
    if (v >= 0) {
      return v;
    }
    if (variants.size() >= MAX_VARIANTS) {
      return -1;
    }
    variants.add(variant);
    int n = variants.size();
    unitsPerVariant = Arrays.copyOf(unitsPerVariant, n);
    sum = Arrays.copyOf(sum, n * m);
    sumSquares = Arrays.copyOf(sumSquares, n * m);
    sumX = Arrays.copyOf(sumX, n * m);
    sumXSquares = Arrays.copyOf(sumXSquares, n * m);
    sumXY = Arrays.copyOf(sumXY, n * m);
    funnelCounts = Arrays.copyOf(funnelCounts, n * k);
    return n - 1;
  }

  private void grow() {
    int cap = units.length + (units.length >> 1);
    units = Arrays.copyOf(units, cap);
    exposedAt = Arrays.copyOf(exposedAt, cap);
    meta = Arrays.copyOf(meta, cap);
    values = Arrays.copyOf(values, cap * m);
    covMean = Arrays.copyOf(covMean, cap * meanCount);
    covBits = Arrays.copyOf(covBits, cap * bitBytes);
    if (k > 0) {
      funnelStep = Arrays.copyOf(funnelStep, cap);
      funnelAt = Arrays.copyOf(funnelAt, cap * k);
    }
  }

  int metricCount() {
    return m;
  }

  int funnelLength() {
    return k;
  }

  int covariateMeans() {
    return meanCount;
  }

  int covariateBitBytes() {
    return bitBytes;
  }

  /** Heap bytes of the per-unit arrays and the index (not the few per-variant sums). */
  long bytes() {
    long perSlot = 8 + 8 + 1 + 8L * m + 8L * meanCount + bitBytes + (k > 0 ? 1 + 8L * k : 0);
    return perSlot * units.length + index.bytes();
  }

  /** Rebuilds the index after a snapshot restored the dense arrays. */
  void reindex() {
    for (int slot = 0; slot < size; slot++) {
      index.add(units[slot], slot, this);
    }
  }
}
