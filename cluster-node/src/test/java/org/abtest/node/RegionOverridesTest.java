package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegionOverridesTest {

  private static final Config BASE =
      ConfigFactory.parseString(
          """
          abtest.region = region-b
          abtest.cassandra { datacenter = region-b, keyspace = abtest,
            replication = "{'class': 'SimpleStrategy', 'replication_factor': 1}" }
          abtest.aggregation.keyspace = abtest
          pekko.cluster.seed-nodes = []
          """);

  @Test
  void withoutTheVariablesNothingChanges() {
    Config config = RegionOverrides.apply(BASE, Map.of());
    assertThat(config).isEqualTo(BASE);
  }

  @Test
  void seedNodesAndRegionsAreCommaSeparatedLists() {
    Config config =
        RegionOverrides.apply(
            BASE,
            Map.of(
                "ABTEST_SEED_NODES", "pekko://abtest@127.0.0.1:1, pekko://abtest@127.0.0.1:2",
                "ABTEST_REGIONS", "region-a,region-b"));
    assertThat(config.getStringList("pekko.cluster.seed-nodes"))
        .containsExactly("pekko://abtest@127.0.0.1:1", "pekko://abtest@127.0.0.1:2");
    assertThat(config.getStringList("abtest.regions")).containsExactly("region-a", "region-b");
  }

  @Test
  void replicationFactorsMakeSharedKeyspacesSpanEveryDataCenterAndAggregationStayLocal() {
    Config config =
        RegionOverrides.apply(
            BASE, Map.of("ABTEST_CASSANDRA_REPLICATION", "region-a:1,region-b:3"));
    assertThat(config.getString("pekko.persistence.cassandra.journal.replication-strategy"))
        .isEqualTo("NetworkTopologyStrategy");
    assertThat(
            config.getStringList(
                "pekko.persistence.cassandra.snapshot.data-center-replication-factors"))
        .containsExactly("region-a:1", "region-b:3");
    assertThat(config.getString("abtest.cassandra.replication"))
        .isEqualTo("{'class': 'NetworkTopologyStrategy', 'region-a': 1, 'region-b': 3}");
    assertThat(config.getString("abtest.aggregation.replication"))
        .isEqualTo("{'class': 'NetworkTopologyStrategy', 'region-b': 3}");
    assertThat(config.getString("abtest.aggregation.keyspace")).isEqualTo("abtest_region_b");
  }

  @Test
  void replicationThatLeavesOutThisDataCenterIsRefused() {
    assertThatThrownBy(
            () -> RegionOverrides.apply(BASE, Map.of("ABTEST_CASSANDRA_REPLICATION", "region-a:1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("region-b");
  }

  @Test
  void aMalformedReplicationFactorIsRefusedNamingIt() {
    assertThatThrownBy(
            () ->
                RegionOverrides.apply(
                    BASE, Map.of("ABTEST_CASSANDRA_REPLICATION", "region-b:three")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("region-b:three");
  }
}
