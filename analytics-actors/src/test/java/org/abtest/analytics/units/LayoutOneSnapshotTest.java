package org.abtest.analytics.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.UnitHasher;
import org.junit.jupiter.api.Test;

/**
 * Layout 1 (the first snapshot codec) is read by the versioned decoder: a state without funnels
 * comes back exactly and goes on to the numbers of a run that never stopped; one with a funnel is
 * refused (it lacks each step's earliest time), so the restore decides what to do instead of
 * rebuilding silently.
 */
class LayoutOneSnapshotTest {

  private static final UnitStateSettings SETTINGS =
      new UnitStateSettings(Duration.ofHours(24), 24, Duration.ofMillis(20_000), 127, 1_000_000);
  private static final UnitHasher HASHER = new UnitHasher("test-key");

  /** Only "search" (no funnel); no CUPED history, which layout 1 did not have. */
  private static PartitionState searchOnly() {
    return new PartitionState(
        HASHER, key -> key.equals("search") ? EventStreams.SEARCH : null, type -> false, SETTINGS);
  }

  private static PartitionState decode(byte[] bytes) {
    return PartitionStateCodec.decode(
        bytes,
        HASHER,
        key -> key.equals("search") ? EventStreams.SEARCH : null,
        type -> false,
        SETTINGS);
  }

  @Test
  void aLayoutOneStateWithoutFunnelsDecodesToTheSamePartialsAndContinuesExactly() {
    List<NaiveTotals.Record> log =
        IncrementalEqualsNaiveTest.withRecordTimes(EventStreams.generate(91, 200), 91);
    int half = log.size() / 2;
    PartitionState straight = searchOnly();
    log.forEach(r -> straight.apply(r.event(), r.recordTime()));
    PartitionState first = searchOnly();
    log.subList(0, half).forEach(r -> first.apply(r.event(), r.recordTime()));

    byte[] v1 = LayoutOneWriter.write(first);
    assertThat(PartitionStateCodec.readable(v1)).isTrue();
    PartitionState restored = decode(v1);
    assertThat(outcomes(restored)).isEqualTo(outcomes(first));
    assertThat(restored.unitEntries()).isEqualTo(first.unitEntries()).isPositive();
    assertThat(restored.heldEvents()).isEqualTo(first.heldEvents());
    assertThat(restored.duplicates()).isEqualTo(first.duplicates());

    // ids of the first half are known (as 64-bit hashes) and held events wait as they did
    log.subList(half, log.size()).forEach(r -> restored.apply(r.event(), r.recordTime()));
    assertThat(outcomes(restored)).isEqualTo(outcomes(straight));
    assertThat(restored.duplicates()).isEqualTo(straight.duplicates());

    // and it is written again in the current layout
    assertThat(decode(PartitionStateCodec.encode(restored)).partials("search"))
        .isEqualTo(restored.partials("search"));
  }

  /**
   * Units, (n, sum, sumSquares) per metric × variant, multiple exposures: everything but the CUPED
   * covariate sums, which layout 1 did not keep (its units restore with x = 0, as layout 2's do,
   * docs/aggregation.md "Crash safety").
   */
  private static Map<String, Object> outcomes(PartitionState s) {
    Map<String, Object> out = new TreeMap<>();
    for (ExperimentTotals t : s.partials("search")) {
      out.put("units", t.unitsPerVariant());
      out.put("multiple", t.multipleExposureUnits());
      t.metrics()
          .forEach(
              (metric, byVariant) ->
                  byVariant.forEach(
                      (variant, sums) ->
                          out.put(
                              metric + "/" + variant,
                              List.of(sums.n(), sums.sum(), sums.sumSquares()))));
    }
    return out;
  }

  @Test
  void aLayoutOneStateWithAFunnelIsRefusedNamingTheExperiment() {
    PartitionState withFunnel =
        new PartitionState(HASHER, EventStreams::definitionWithoutRatios, type -> false, SETTINGS);
    IncrementalEqualsNaiveTest.withRecordTimes(EventStreams.generate(5, 40), 5)
        .forEach(r -> withFunnel.apply(r.event(), r.recordTime()));
    byte[] v1 = LayoutOneWriter.write(withFunnel);
    assertThatThrownBy(
            () ->
                PartitionStateCodec.decode(
                    v1, HASHER, EventStreams::definitionWithoutRatios, SETTINGS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("checkout")
        .hasMessageContaining("funnel");
  }

  @Test
  void layoutsOutsideOneToTheCurrentAreNotReadable() {
    byte[] current = PartitionStateCodec.encode(searchOnly());
    for (int version : new int[] {0, PartitionStateCodec.VERSION + 1, 99}) {
      byte[] other = current.clone();
      other[3] = (byte) version;
      assertThat(PartitionStateCodec.readable(other)).as("layout %d", version).isFalse();
      assertThatThrownBy(() -> decode(other))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("version " + version);
    }
    assertThat(PartitionStateCodec.readable(new byte[2])).isFalse();
  }
}
