package org.abtest.node.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.abtest.http.ports.ReadinessCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * Ready only when this member is Up and both Cassandra and Kafka answer now; otherwise 503 with the
 * reasons. Each probe is bounded, so readiness itself never hangs.
 */
public final class NodeReadiness implements ReadinessCheck {

  private final Cluster cluster;
  private final CassandraSession cassandra;
  private final Admin kafka;
  private final Duration timeout;
  private final Supplier<Map<String, String>> degraded;
  private final Supplier<Map<Integer, String>> refused;

  public NodeReadiness(Cluster cluster, CassandraSession cassandra, Admin kafka, Duration timeout) {
    this(cluster, cassandra, kafka, timeout, Map::of);
  }

  /**
   * @param degraded the experiments this node serves as off ({@code ManifestHolder::degraded})
   */
  public NodeReadiness(
      Cluster cluster,
      CassandraSession cassandra,
      Admin kafka,
      Duration timeout,
      Supplier<Map<String, String>> degraded) {
    this(cluster, cassandra, kafka, timeout, degraded, Map::of);
  }

  /**
   * @param refused the event partitions this node refuses to consume (partition → why; see
   *     docs/operations.md "Unit-state snapshots")
   */
  public NodeReadiness(
      Cluster cluster,
      CassandraSession cassandra,
      Admin kafka,
      Duration timeout,
      Supplier<Map<String, String>> degraded,
      Supplier<Map<Integer, String>> refused) {
    this.refused = refused;
    this.cluster = cluster;
    this.cassandra = cassandra;
    this.kafka = kafka;
    this.timeout = timeout;
    this.degraded = degraded;
  }

  @Override
  public Map<String, String> degradedExperiments() {
    return degraded.get();
  }

  @Override
  public Map<Integer, String> refusedPartitions() {
    return refused.get();
  }

  @Override
  public CompletionStage<Readiness> check() {
    CompletableFuture<String> member =
        CompletableFuture.completedFuture(
            cluster.selfMember().status() == MemberStatus.up()
                ? null
                : "cluster member is " + cluster.selfMember().status());
    CompletableFuture<String> cql =
        probe(
            cassandra.selectOne("SELECT release_version FROM system.local"),
            "cassandra does not answer");
    CompletableFuture<String> broker =
        probe(kafka.describeCluster().clusterId().toCompletionStage(), "kafka does not answer");
    return CompletableFuture.allOf(member, cql, broker)
        .thenApply(
            ignored -> {
              List<String> reasons = new ArrayList<>();
              for (var f : List.of(member, cql, broker)) {
                if (f.join() != null) {
                  reasons.add(f.join());
                }
              }
              return new Readiness(reasons.isEmpty(), reasons);
            });
  }

  private CompletableFuture<String> probe(CompletionStage<?> call, String reason) {
    return call.toCompletableFuture()
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle((ok, error) -> error == null ? null : reason + ": " + rootMessage(error));
  }

  private static String rootMessage(Throwable error) {
    Throwable t = error;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " " + t.getMessage());
  }
}
