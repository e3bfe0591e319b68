package org.abtest.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings that come from list-valued environment variables (HOCON cannot split a string):
 *
 * <ul>
 *   <li>{@code ABTEST_SEED_NODES}: comma-separated {@code pekko://} addresses to join;
 *   <li>{@code ABTEST_REGIONS}: every region's replica id, e.g. {@code region-a,region-b};
 *   <li>{@code ABTEST_CASSANDRA_REPLICATION}: data centers and replication factors, e.g. {@code
 *       region-a:1,region-b:1}. Keyspaces are then created with NetworkTopologyStrategy (journal,
 *       snapshots, manifests, credentials: replicated to every region), and the aggregation state,
 *       which only its region reads, goes to a keyspace of the region's own, replicated in its own
 *       data center only.
 * </ul>
 */
final class RegionOverrides {

  private RegionOverrides() {}

  static Config apply(Config config, Map<String, String> env) {
    Map<String, Object> values = new LinkedHashMap<>();
    list(env, "ABTEST_SEED_NODES").ifPresent(l -> values.put("pekko.cluster.seed-nodes", l));
    list(env, "ABTEST_REGIONS").ifPresent(l -> values.put("abtest.regions", l));
    list(env, "ABTEST_CASSANDRA_REPLICATION")
        .ifPresent(factors -> replication(config, env, factors, values));
    Config overrides = ConfigFactory.empty();
    for (var e : values.entrySet()) {
      overrides = overrides.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
    }
    return overrides.withFallback(config);
  }

  private static void replication(
      Config config, Map<String, String> env, List<String> factors, Map<String, Object> values) {
    Map<String, Integer> byDc = new LinkedHashMap<>();
    for (String f : factors) {
      String[] parts = f.split(":");
      if (parts.length != 2 || parts[0].isBlank()) {
        throw new IllegalArgumentException(
            "ABTEST_CASSANDRA_REPLICATION: '" + f + "' is not <data center>:<replication factor>");
      }
      try {
        byDc.put(parts[0].trim(), Integer.parseInt(parts[1].trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "ABTEST_CASSANDRA_REPLICATION: '" + f + "' has no numeric replication factor", e);
      }
    }
    String localDc = config.getString("abtest.cassandra.datacenter");
    if (!byDc.containsKey(localDc)) {
      throw new IllegalArgumentException(
          "ABTEST_CASSANDRA_REPLICATION " + byDc + " does not name this data center " + localDc);
    }
    List<String> pluginFactors = new ArrayList<>();
    byDc.forEach((dc, rf) -> pluginFactors.add(dc + ":" + rf));
    for (String store : List.of("journal", "snapshot")) {
      String path = "pekko.persistence.cassandra." + store;
      values.put(path + ".replication-strategy", "NetworkTopologyStrategy");
      values.put(path + ".data-center-replication-factors", pluginFactors);
    }
    values.put("abtest.cassandra.replication", cqlMap(byDc));
    values.put("abtest.aggregation.replication", cqlMap(Map.of(localDc, byDc.get(localDc))));
    if (!env.containsKey("ABTEST_AGGREGATION_KEYSPACE")) {
      String region = config.getString("abtest.region").replaceAll("[^A-Za-z0-9_]", "_");
      values.put(
          "abtest.aggregation.keyspace",
          config.getString("abtest.cassandra.keyspace") + "_" + region);
    }
  }

  static String cqlMap(Map<String, Integer> byDc) {
    StringBuilder cql = new StringBuilder("{'class': 'NetworkTopologyStrategy'");
    byDc.forEach((dc, rf) -> cql.append(", '").append(dc).append("': ").append(rf));
    return cql.append('}').toString();
  }

  private static Optional<List<String>> list(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(
        Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
  }
}
