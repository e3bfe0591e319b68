package org.abtest.analytics.ingest;

import static org.abtest.analytics.ingest.RestoreDecision.Action.FRESH;
import static org.abtest.analytics.ingest.RestoreDecision.Action.REBUILD_EXACT;
import static org.abtest.analytics.ingest.RestoreDecision.Action.REBUILD_LOSSY;
import static org.abtest.analytics.ingest.RestoreDecision.Action.REFUSE;
import static org.abtest.analytics.ingest.RestoreDecision.Action.RESUME;
import static org.abtest.analytics.ingest.RestoreDecision.Found.DECODED;
import static org.abtest.analytics.ingest.RestoreDecision.Found.NONE;
import static org.abtest.analytics.ingest.RestoreDecision.Found.UNDECODABLE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every combination of what the snapshot is, where the log starts, and the operator's flag. */
class RestoreDecisionTest {

  @Test
  void aDecodedSnapshotResumesAtItsOffsetWheneverTheLogStillHoldsIt() {
    for (boolean allow : new boolean[] {false, true}) {
      for (long earliest : new long[] {0, 500, 1000}) {
        var d = RestoreDecision.decide(DECODED, 1000, earliest, allow);
        assertThat(d.action()).isEqualTo(RESUME);
        assertThat(d.from()).isEqualTo(1000);
        assertThat(d.lost()).isZero();
        assertThat(d.emptyState(DECODED)).isFalse();
      }
    }
  }

  @Test
  void aDecodedSnapshotWhoseOffsetRetentionPassedIsRefusedUnlessAllowedThenKeepsItsState() {
    var refused = RestoreDecision.decide(DECODED, 1000, 1500, false);
    assertThat(refused.action()).isEqualTo(REFUSE);
    assertThat(refused.lost()).isEqualTo(500);
    assertThat(refused.reason()).contains("1500").contains("1000").contains("retention");

    var lossy = RestoreDecision.decide(DECODED, 1000, 1500, true);
    assertThat(lossy.action()).isEqualTo(REBUILD_LOSSY);
    assertThat(lossy.from()).isEqualTo(1500);
    assertThat(lossy.lost()).isEqualTo(500);
    // the snapshot's state is kept: only the deleted gap is missing
    assertThat(lossy.emptyState(DECODED)).isFalse();
  }

  @Test
  void anUndecodableSnapshotOfALogStartingAtZeroIsRebuiltFromZeroExactlyWithOrWithoutTheFlag() {
    for (boolean allow : new boolean[] {false, true}) {
      var d = RestoreDecision.decide(UNDECODABLE, 1000, 0, allow);
      assertThat(d.action()).isEqualTo(REBUILD_EXACT);
      assertThat(d.from()).isZero();
      assertThat(d.lost()).isZero();
      assertThat(d.emptyState(UNDECODABLE)).isTrue();
    }
  }

  @Test
  void anUndecodableSnapshotOfATruncatedLogIsRefusedWithoutTheFlag() {
    var d = RestoreDecision.decide(UNDECODABLE, 1000, 300, false);
    assertThat(d.action()).isEqualTo(REFUSE);
    assertThat(d.lost()).isEqualTo(300);
    assertThat(d.reason()).contains("unreadable").contains("300");
  }

  @Test
  void anUndecodableSnapshotOfATruncatedLogIsRebuiltFromTheEarliestOffsetWithTheFlag() {
    var d = RestoreDecision.decide(UNDECODABLE, 1000, 300, true);
    assertThat(d.action()).isEqualTo(REBUILD_LOSSY);
    assertThat(d.from()).isEqualTo(300);
    assertThat(d.lost()).isEqualTo(300);
    assertThat(d.emptyState(UNDECODABLE)).isTrue();
  }

  @Test
  void anUndecodableSnapshotIsRefusedWhenKafkaDoesNotSayWhereTheLogStartsEvenWithTheFlag() {
    for (boolean allow : new boolean[] {false, true}) {
      var d = RestoreDecision.decide(UNDECODABLE, 1000, -1, allow);
      assertThat(d.action()).isEqualTo(REFUSE);
      assertThat(d.reason()).contains("unknown");
    }
  }

  @Test
  void noSnapshotStartsEmptyAtTheLogsEarliestOffset() {
    assertThat(RestoreDecision.decide(NONE, 0, 0, false))
        .isEqualTo(new RestoreDecision(FRESH, 0, 0, "no snapshot yet"));
    assertThat(RestoreDecision.decide(NONE, 0, 700, false).from()).isEqualTo(700);
    // earliest unknown: from 0, and the consumer's reset policy (earliest) applies
    assertThat(RestoreDecision.decide(NONE, 0, -1, false).from()).isZero();
    assertThat(RestoreDecision.decide(NONE, 0, 700, false).emptyState(NONE)).isTrue();
  }

  @Test
  void aDecodedSnapshotWithUnknownEarliestOffsetResumes() {
    var d = RestoreDecision.decide(DECODED, 42, -1, false);
    assertThat(d.action()).isEqualTo(RESUME);
    assertThat(d.from()).isEqualTo(42);
  }
}
