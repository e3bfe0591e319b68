package org.abtest.analytics.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.analytics.units.ExperimentDefinition;
import org.abtest.analytics.units.PartitionState;
import org.abtest.analytics.units.PartitionStateCodec;
import org.abtest.analytics.units.PhaseDefinitions;
import org.abtest.analytics.units.UnitStateSettings;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.junit.jupiter.api.Test;

/**
 * Live unit state and {@link LogReplay}'s state agree on a log that crosses a phase change with
 * late exposures (record times up to 20 min after their ts), and both equal a count by ts made here
 * without the pipeline.
 */
class ReplayAcrossPhasesTest {

  private static final Instant START_1 = Instant.parse("2026-11-22T00:00:00Z");
  private static final Instant START_2 = START_1.plus(Duration.ofHours(2));
  private static final List<MetricDefinition> METRICS =
      List.of(new MetricDefinition("rev", "buy", MetricKind.MEAN, null));
  private static final ExperimentDefinition PHASE_1 =
      ExperimentDefinition.of("exp", 1, METRICS).withStartedAt(START_1);
  private static final ExperimentDefinition PHASE_2 =
      ExperimentDefinition.of("exp", 2, METRICS).withStartedAt(START_2);
  private static final UnitStateSettings SETTINGS =
      new UnitStateSettings(Duration.ofHours(24), 24, Duration.ofSeconds(30), 8, 100);
  private static final UnitHasher HASHER = new UnitHasher("k");

  private record Record(TrackedEvent event, long time) {}

  /** The node's manifest shows phase 2 from a minute after its start (propagation, lag). */
  private static final class Live implements PhaseDefinitions {
    List<ExperimentDefinition> phases = List.of(PHASE_1);

    @Override
    public ExperimentDefinition apply(String key) {
      return key.equals("exp") ? phases.get(phases.size() - 1) : null;
    }

    @Override
    public List<ExperimentDefinition> phases(String key) {
      return key.equals("exp") ? phases : List.of();
    }
  }

  @Test
  void liveAndReplayAgreeAcrossANewPhaseWithLateExposuresAndARestoreInBetween() {
    Random random = new Random(15);
    List<List<Record>> log = List.of(new ArrayList<>(), new ArrayList<>());
    // expected units and revenue per phase × variant, by the exposure's ts
    Map<String, Long> units = new TreeMap<>();
    Map<String, Double> revenue = new TreeMap<>();
    long from = START_1.toEpochMilli();
    long span = Duration.ofHours(4).toMillis();
    for (int u = 0; u < 400; u++) {
      long ts = from + (long) (random.nextDouble() * span);
      if (ts >= START_2.toEpochMilli() && ts < START_2.toEpochMilli() + 60_000) {
        continue; // the edge refuses phase-2 variants until the node's manifest shows phase 2
      }
      long lag = (long) (random.nextDouble() * Duration.ofMinutes(20).toMillis());
      String variant = random.nextBoolean() ? "a" : "b";
      int phase = ts >= START_2.toEpochMilli() ? 2 : 1;
      double value = 1 + random.nextInt(9);
      List<Record> partition = log.get(u % 2);
      String unit = "u" + u;
      partition.add(
          new Record(
              TrackedEvent.exposure("x" + u, unit, "exp", variant, Instant.ofEpochMilli(ts)),
              ts + lag));
      long later = 1 + random.nextInt(600_000);
      partition.add(
          new Record(
              new TrackedEvent(
                  "m" + u,
                  TrackedEvent.METRIC,
                  unit,
                  null,
                  null,
                  "buy",
                  value,
                  Instant.ofEpochMilli(ts + later),
                  null),
              ts + lag + later));
      units.merge(phase + "." + variant, 1L, Long::sum);
      revenue.merge(phase + "." + variant, value, Double::sum);
    }
    log.forEach(p -> p.sort(Comparator.comparingLong(Record::time)));

    Live definitions = new Live();
    List<PartitionState> live = new ArrayList<>();
    for (List<Record> partition : log) {
      PartitionState state = new PartitionState(HASHER, definitions, SETTINGS);
      definitions.phases = List.of(PHASE_1);
      for (int i = 0; i < partition.size(); i++) {
        Record r = partition.get(i);
        if (r.time() >= START_2.toEpochMilli() + 60_000) {
          definitions.phases = List.of(PHASE_1, PHASE_2);
        }
        if (i == partition.size() / 2) { // a new owner takes over from the snapshot
          state =
              PartitionStateCodec.decode(
                  PartitionStateCodec.encode(state), HASHER, definitions, SETTINGS);
        }
        state.apply(r.event(), r.time());
      }
      live.add(state);
    }
    List<PartitionState> replayed = new ArrayList<>();
    for (List<Record> partition : log) {
      PartitionState state = LogReplay.state(List.of(PHASE_1, PHASE_2), HASHER, SETTINGS);
      partition.forEach(r -> state.apply(r.event(), r.time()));
      replayed.add(state);
    }

    for (int phase = 1; phase <= 2; phase++) {
      ExperimentTotals l = LogReplay.totals(live, "exp", phase);
      ExperimentTotals r = LogReplay.totals(replayed, "exp", phase);
      assertThat(r).isEqualTo(l);
      for (String v : List.of("a", "b")) {
        assertThat(l.unitsPerVariant().get(v)).isEqualTo(units.get(phase + "." + v));
        assertThat(l.metrics().get("rev").get(v).sum()).isEqualTo(revenue.get(phase + "." + v));
      }
    }
  }
}
