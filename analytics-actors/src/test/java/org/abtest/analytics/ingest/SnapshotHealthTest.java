package org.abtest.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.junit.jupiter.api.Test;

/** Refusals are held per partition until a later restore or a revoke; the metrics export them. */
class SnapshotHealthTest {

  private static final RestoreDecision REFUSED =
      RestoreDecision.decide(RestoreDecision.Found.UNDECODABLE, 0, 5, false);
  private static final RestoreDecision LOSSY =
      RestoreDecision.decide(RestoreDecision.Found.UNDECODABLE, 0, 5, true);
  private static final RestoreDecision EXACT =
      RestoreDecision.decide(RestoreDecision.Found.UNDECODABLE, 0, 0, false);

  @Test
  void aRefusalIsListedUntilThePartitionIsRestoredOrReleased() {
    SnapshotHealth h = new SnapshotHealth();
    h.restored(2, REFUSED);
    h.restored(3, REFUSED);
    assertThat(h.refused()).containsOnlyKeys(2, 3).containsEntry(2, REFUSED.reason());
    h.restored(2, LOSSY);
    h.released(3);
    assertThat(h.refused()).isEmpty();
  }

  @Test
  void theMetricsCountRebuildsLostOffsetsCleanupsAndRefusedPartitions() {
    SnapshotHealth h = new SnapshotHealth();
    PrometheusRegistry registry = new PrometheusRegistry();
    SnapshotHealth.register(registry, () -> h);
    h.restored(1, EXACT);
    h.restored(2, LOSSY);
    h.restored(4, REFUSED);
    h.cleanedFailed();
    h.cleanedFailed();
    h.cleanedOrphan();
    String text = scrape(registry);
    assertThat(text)
        .contains("abtest_unit_state_rebuilds_total{kind=\"exact\"} 1.0")
        .contains("abtest_unit_state_rebuilds_total{kind=\"lossy\"} 1.0")
        .contains("abtest_unit_state_rebuild_lost_offsets_total 5.0")
        .contains("abtest_unit_state_rebuild_refused{partition=\"4\"} 1.0")
        .contains("abtest_unit_state_snapshot_cleanups_total{cause=\"failed_write\"} 2.0")
        .contains("abtest_unit_state_snapshot_cleanups_total{cause=\"orphan\"} 1.0");
  }

  @Test
  void beforeTheIngestionRunsTheMetricsAreEmptyNotAnError() {
    PrometheusRegistry registry = new PrometheusRegistry();
    SnapshotHealth.register(registry, () -> null);
    assertThat(scrape(registry)).doesNotContain("abtest_unit_state_rebuild_refused{");
  }

  /** The samples as "name{label=\"value\"} value" lines (counters with their _total). */
  private static String scrape(PrometheusRegistry registry) {
    StringBuilder out = new StringBuilder();
    for (MetricSnapshot m : registry.scrape()) {
      String name = m.getMetadata().getPrometheusName();
      for (DataPointSnapshot p : m.getDataPoints()) {
        double value =
            p instanceof CounterSnapshot.CounterDataPointSnapshot c
                ? c.getValue()
                : ((GaugeSnapshot.GaugeDataPointSnapshot) p).getValue();
        StringBuilder labels = new StringBuilder();
        p.getLabels()
            .forEach(
                l ->
                    labels
                        .append(labels.length() == 0 ? "" : ",")
                        .append(l.getName())
                        .append("=\"")
                        .append(l.getValue())
                        .append('"'));
        out.append(name)
            .append(m instanceof CounterSnapshot ? "_total" : "")
            .append(labels.length() == 0 ? "" : "{" + labels + "}")
            .append(' ')
            .append(value)
            .append('\n');
      }
    }
    return out.toString();
  }
}
