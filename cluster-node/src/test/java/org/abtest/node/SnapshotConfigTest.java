package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
   * The node's aggregation.conf with {@code env} as top-level keys, which its ${?ABTEST_*} find
   * before the process environment (resolveWith cannot resolve its duplicate keys, config 1.4.1).
   */
  private static SnapshotSettings load(Map<String, String> env) throws Exception {
    StringBuilder text = new StringBuilder();
    env.forEach((k, v) -> text.append(k).append(" = \"").append(v).append("\"\n"));
    text.append("abtest.cassandra.keyspace = k\nabtest.cassandra.replication = r\n");
    try (InputStream in = SnapshotConfigTest.class.getResourceAsStream("/aggregation.conf")) {
      text.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    Config config = ConfigFactory.parseString(text.toString()).resolve();
    return SnapshotSettings.from(config.getConfig("abtest.aggregation"));
  }

  @Test
  void theDefaultsRefuseLossyRebuildsAndInjectNoFault() throws Exception {
    SnapshotSettings s = load(Map.of());
    assertThat(s.allowLossyRebuild()).isFalse();
    assertThat(s.failAfterChunks()).isZero();
    assertThat(s.orphanAge()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void theEnvironmentSetsTheFlagTheOrphanAgeAndTheTestFault() throws Exception {
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
