package org.abtest.analytics.units;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.protocol.events.TrackedEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property-style: for random logs with duplicates, late, early and pre-exposure events and multiple
 * exposures, the incremental sums equal a naive recomputation from the raw list, also when the
 * state goes through a snapshot halfway.
 */
class IncrementalEqualsNaiveTest {

  private static final long HOLD = 20_000;
  private static final UnitStateSettings SETTINGS =
      new UnitStateSettings(Duration.ofHours(24), 24, Duration.ofMillis(HOLD), 127, 1_000_000)
          .withCovariate(Duration.ofDays(7), Duration.ofHours(1), 16);
  private static final UnitHasher HASHER = new UnitHasher("test-key");

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void incrementalTotalsEqualANaiveRecomputation(long seed) {
    List<NaiveTotals.Record> log = withRecordTimes(EventStreams.generate(seed, 200), seed);
    PartitionState state = fresh();
    log.forEach(r -> state.apply(r.event(), r.recordTime()));

    for (ExperimentDefinition d : List.of(EventStreams.CHECKOUT, EventStreams.SEARCH)) {
      assertThat(NaiveTotals.of(only(state.partials(d.key()))))
          .isEqualTo(NaiveTotals.compute(log, d, HOLD));
    }
    // the covariate is really exercised: units with pre-exposure events in every metric's lookback
    for (String metric : List.of("converted", "revenue")) {
      assertThat(only(state.partials("checkout")).metrics().get(metric).values())
          .anySatisfy(s -> assertThat(s.covSum()).isPositive());
    }
    assertThat(state.unknownExposures()).isPositive();
    assertThat(state.duplicates()).isPositive();
  }

  @ParameterizedTest
  @ValueSource(longs = {31, 32, 33, 34, 35})
  void aSnapshotHalfwayChangesNothing(long seed) {
    List<NaiveTotals.Record> log = withRecordTimes(EventStreams.generate(seed, 300), seed);
    PartitionState straight = fresh();
    log.forEach(r -> straight.apply(r.event(), r.recordTime()));

    PartitionState first = fresh();
    int half = log.size() / 2;
    log.subList(0, half).forEach(r -> first.apply(r.event(), r.recordTime()));
    byte[] snapshot = PartitionStateCodec.encode(first);
    PartitionState restored =
        PartitionStateCodec.decode(snapshot, HASHER, EventStreams::definition, SETTINGS);
    log.subList(half, log.size()).forEach(r -> restored.apply(r.event(), r.recordTime()));

    for (String key : List.of("checkout", "search")) {
      assertThat(restored.partials(key)).isEqualTo(straight.partials(key));
    }
    assertThat(restored.duplicates()).isEqualTo(straight.duplicates());
  }

  static List<NaiveTotals.Record> withRecordTimes(List<TrackedEvent> events, long seed) {
    Random random = new Random(seed * 7919);
    List<NaiveTotals.Record> log = new ArrayList<>();
    long t = EventStreams.T0.toEpochMilli();
    for (TrackedEvent e : events) {
      // mostly rising, sometimes a producer with a slower clock: stream time must not go back
      t += random.nextInt(3000);
      long recordTime = random.nextInt(20) == 0 ? t - random.nextInt(10_000) : t;
      log.add(new NaiveTotals.Record(e, recordTime));
    }
    return log;
  }

  private static PartitionState fresh() {
    return new PartitionState(HASHER, EventStreams::definition, SETTINGS);
  }

  private static ExperimentTotals only(List<ExperimentTotals> partials) {
    assertThat(partials).hasSize(1);
    return partials.get(0);
  }
}
