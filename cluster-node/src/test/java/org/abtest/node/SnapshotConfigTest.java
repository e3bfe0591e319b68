package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.abtest.analytics.ingest.SnapshotSettings;
import org.junit.jupiter.api.Test;

/**
 * The snapshot settings of aggregation.conf: safe defaults (no lossy rebuild, no fault), and the
 * environment variables the runbook and the operations IT name.
 */
class SnapshotConfigTest {

  /**
   * The node's aggregation.conf, its ${?ABTEST_*} taken from {@code env} instead of the process.
   */
  private static SnapshotSettings load(Map<String, String> env) {
    Map<String, Object> source = new java.util.HashMap<>(env);
    source.put("abtest.cassandra.keyspace", "k");
    source.put("abtest.cassandra.replication", "r");
    Config config =
        ConfigFactory.parseResources("aggregation.conf")
            .resolveWith(ConfigFactory.parseMap(source));
    return SnapshotSettings.from(config.getConfig("abtest.aggregation"));
  }

  @Test
  void theDefaultsRefuseLossyRebuildsAndInjectNoFault() {
    SnapshotSettings s = load(Map.of());
    assertThat(s.allowLossyRebuild()).isFalse();
    assertThat(s.failAfterChunks()).isZero();
    assertThat(s.orphanAge()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void theEnvironmentSetsTheFlagTheOrphanAgeAndTheTestFault() {
    SnapshotSettings s =
        load(
            Map.of(
                "ABTEST_ALLOW_LOSSY_REBUILD", "true",
                "ABTEST_SNAPSHOT_ORPHAN_AGE", "2s",
                "ABTEST_TEST_FAIL_SNAPSHOT_AFTER_CHUNKS", "3"));
    assertThat(s.allowLossyRebuild()).isTrue();
    assertThat(s.orphanAge()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.failAfterChunks()).isEqualTo(3);
  }

  @Test
  void aNegativeFaultCountIsRefused() {
    assertThatThrownBy(() -> load(Map.of("ABTEST_TEST_FAIL_SNAPSHOT_AFTER_CHUNKS", "-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fail-snapshot-after-chunks");
  }
}
