package org.abtest.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.analytics.units.ExperimentDefinition;
import org.abtest.analytics.units.PartitionState;
import org.abtest.analytics.units.UnitStateSettings;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.experiment.MetricCap;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a cap costs on the aggregation hot path: one metric event applied to a partition's unit
 * state (dedup, unit lookup, the metric's sums) for an experiment of three mean metrics on the
 * event, uncapped and with every metric capped, in the same run. 10,000 exposed units; each event a
 * new id for one of them, so every call changes the sums.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class CappedMetricBenchmark {

  private static final int UNITS = 10_000;
  private static final int EVENTS = 1 << 22;
  private static final Instant BASE = Instant.parse("2026-11-22T00:00:00Z");

  @Param({"false", "true"})
  public boolean capped;

  private PartitionState state;
  private TrackedEvent[] events;
  private long clock;
  private int next;

  /** Distinct metric events, more than an iteration applies, so none is a duplicate. */
  @Setup(Level.Trial)
  public void events() {
    events = new TrackedEvent[EVENTS];
    for (int i = 0; i < events.length; i++) {
      events[i] =
          new TrackedEvent(
              "m" + i,
              TrackedEvent.METRIC,
              "u" + (i % UNITS),
              null,
              null,
              "buy",
              (double) (i % 40),
              BASE.plusMillis(1000 + (i % 1000)),
              null);
    }
  }

  /** A fresh partition with every unit exposed, for each iteration. */
  @Setup(Level.Iteration)
  public void state() {
    MetricCap cap = capped ? MetricCap.fixed(50) : null;
    ExperimentDefinition exp =
        ExperimentDefinition.of(
            "exp",
            1,
            List.of(
                new MetricDefinition("revenue", "buy", MetricKind.MEAN, null, null, cap),
                new MetricDefinition("revenue1h", "buy", MetricKind.MEAN, 1, null, cap),
                new MetricDefinition("revenue24h", "buy", MetricKind.MEAN, 24, null, cap)));
    state =
        new PartitionState(
            new UnitHasher("k"),
            key -> key.equals("exp") ? exp : null,
            new UnitStateSettings(Duration.ofHours(24), 24, Duration.ofSeconds(30), 3, 1_000_000));
    clock = BASE.toEpochMilli();
    for (int u = 0; u < UNITS; u++) {
      state.apply(
          TrackedEvent.exposure("x" + u, "u" + u, "exp", u % 2 == 0 ? "a" : "b", BASE), ++clock);
    }
    next = 0;
  }

  @Benchmark
  public long applyOneMetricEvent() {
    state.apply(events[next++ & (EVENTS - 1)], ++clock);
    return clock;
  }
}
