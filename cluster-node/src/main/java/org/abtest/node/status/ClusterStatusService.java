package org.abtest.node.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.StreamSupport;
import org.abtest.georeplication.ReplicationLag;
import org.abtest.http.ports.ClusterService;
import org.abtest.node.assignment.ManifestHolder;
import org.abtest.node.assignment.ManifestVersions;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * {@code GET /v1/cluster} from what this node can see: cluster membership (local state, always
 * there), shard counts per member and entity type, every node's manifest version, replication lag
 * per remote region, and the events consumer's lag. Each remote part has its own timeout and falls
 * back to "unknown", so the answer is never an error.
 */
public final class ClusterStatusService implements ClusterService {

  /** What the sharding query and the version collection may take before we answer without. */
  public record Settings(Duration shardStatsTimeout, Duration versionTimeout) {}

  private final ActorSystem<?> system;
  private final String region;
  private final Set<String> regions;
  private final List<EntityTypeKey<?>> entityTypes;
  private final ManifestHolder manifests;
  private final ReplicationLag replicationLag;
  private final KafkaConsumerLag kafka;
  private final Settings settings;

  public ClusterStatusService(
      ActorSystem<?> system,
      String region,
      Set<String> regions,
      List<EntityTypeKey<?>> entityTypes,
      ManifestHolder manifests,
      ReplicationLag replicationLag,
      KafkaConsumerLag kafka,
      Settings settings) {
    this.system = system;
    this.region = region;
    this.regions = regions;
    this.entityTypes = List.copyOf(entityTypes);
    this.manifests = manifests;
    this.replicationLag = replicationLag;
    this.kafka = kafka;
    this.settings = settings;
  }

  @Override
  public CompletionStage<ClusterStatus> status() {
    CompletableFuture<Map<Address, Map<String, Integer>>> shards = shardCounts();
    CompletableFuture<Map<String, ManifestVersions.Version>> versions =
        ManifestVersions.collect(system, settings.versionTimeout()).toCompletableFuture();
    CompletableFuture<KafkaStatus> kafkaStatus = kafka.status().toCompletableFuture();
    return CompletableFuture.allOf(shards, versions, kafkaStatus)
        .thenApply(
            done -> {
              ManifestVersionsAndShards parts =
                  new ManifestVersionsAndShards(shards.join(), versions.join());
              var current = manifests.current();
              return new ClusterStatus(
                  region,
                  regionStatuses(),
                  members(parts),
                  current == null ? null : current.version(),
                  kafkaStatus.join());
            });
  }

  private record ManifestVersionsAndShards(
      Map<Address, Map<String, Integer>> shards, Map<String, ManifestVersions.Version> versions) {}

  /** Kafka partitions a member consumes, listed with its shards (one unit-state actor each). */
  static final String UNIT_STATE = "unit-state";

  private List<RegionStatus> regionStatuses() {
    Map<String, ReplicationLag.Observation> observed = replicationLag.snapshot();
    List<RegionStatus> out = new ArrayList<>();
    for (String name : regions) {
      ReplicationLag.Observation o = name.equals(region) ? null : observed.get(name);
      out.add(
          new RegionStatus(
              name,
              name.equals(region),
              o == null ? null : o.lastLagMs(),
              o == null ? null : o.lastSeenAt()));
    }
    return out;
  }

  private List<ClusterService.Member> members(ManifestVersionsAndShards parts) {
    Cluster cluster = Cluster.get(system);
    ClusterEvent.CurrentClusterState state = cluster.state();
    Set<org.apache.pekko.cluster.Member> unreachable = state.getUnreachable();
    Address leader = state.getLeader();
    Address self = cluster.selfMember().address();
    List<ClusterService.Member> out = new ArrayList<>();
    for (org.apache.pekko.cluster.Member m :
        StreamSupport.stream(state.getMembers().spliterator(), false).toList()) {
      Address address = m.address();
      ManifestVersions.Version reported = parts.versions().get(address.toString());
      Map<String, Integer> shards = new TreeMap<>(parts.shards().getOrDefault(address, Map.of()));
      if (reported != null) {
        shards.put(UNIT_STATE, reported.partitions());
      }
      out.add(
          new ClusterService.Member(
              address.toString(),
              m.getRoles().stream().filter(r -> !r.startsWith("dc-")).sorted().toList(),
              m.status().toString(),
              !unreachable.contains(m),
              address.equals(leader),
              address.equals(self),
              shards,
              reported == null ? null : reported.version()));
    }
    return out;
  }

  /**
   * Shards per member and entity type. Sharding asks every region with the timeout and answers with
   * what it got, so a slow member only loses its own counts; a type that fails as a whole is left
   * out.
   */
  private CompletableFuture<Map<Address, Map<String, Integer>>> shardCounts() {
    ActorRef<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery> query =
        ClusterSharding.get(system).shardState();
    List<CompletableFuture<ShardRegion.ClusterShardingStats>> asks = new ArrayList<>();
    for (EntityTypeKey<?> type : entityTypes) {
      asks.add(
          AskPattern
              .<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
                  ShardRegion.ClusterShardingStats>
                  ask(
                      query,
                      replyTo ->
                          new GetClusterShardingStats(type, settings.shardStatsTimeout(), replyTo),
                      settings.shardStatsTimeout().plusMillis(500),
                      system.scheduler())
              .toCompletableFuture()
              .exceptionally(failure -> null));
    }
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              Address self = Cluster.get(system).selfMember().address();
              Map<Address, Map<String, Integer>> counts = new HashMap<>();
              for (int i = 0; i < entityTypes.size(); i++) {
                ShardRegion.ClusterShardingStats stats = asks.get(i).join();
                if (stats == null) {
                  continue;
                }
                String name = entityTypes.get(i).name();
                stats
                    .getRegions()
                    .forEach(
                        (address, regionStats) ->
                            counts
                                // this node's own region may be keyed by its local address
                                .computeIfAbsent(
                                    address.hasLocalScope() ? self : address, a -> new TreeMap<>())
                                .put(name, regionStats.getStats().size()));
              }
              return counts;
            });
  }
}
