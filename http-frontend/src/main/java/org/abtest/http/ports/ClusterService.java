package org.abtest.http.ports;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /v1/cluster}: this region, its peers and their replication lag, the members of this
 * region's cluster with their shards and manifest versions, and the events consumer's lag. An
 * implementation fills what it can and leaves the rest null: the console shows a partial picture
 * rather than an error while a member or Kafka does not answer.
 */
public interface ClusterService {

  CompletionStage<ClusterStatus> status();

  /** Nulls are written (the mapper's default drops them): the console reads "unknown" from them. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record ClusterStatus(
      String region,
      List<RegionStatus> regions,
      List<Member> members,
      Long manifestVersion,
      KafkaStatus kafka) {}

  /** The local region has no lag; a remote one not heard from yet has nulls. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record RegionStatus(String name, boolean local, Long replicationLagMs, Instant lastSeenAt) {}

  /** {@code shards}: entity type name → shards hosted; {@code manifestVersion} null if silent. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record Member(
      String address,
      List<String> roles,
      String status,
      boolean reachable,
      boolean leader,
      boolean self,
      Map<String, Integer> shards,
      Long manifestVersion) {}

  /** {@code lag} is the sum over partitions; null when Kafka did not answer. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record KafkaStatus(String topic, String group, Long lag, List<PartitionLag> partitions) {}

  /** {@code committed} is null for a partition the group has not committed yet. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record PartitionLag(int partition, long endOffset, Long committed, long lag) {}
}
