package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.abtest.http.ports.ClusterService;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.Test;

class ClusterRoutesTest extends RouteTestSupport {

  @Test
  void withoutACredentialTheClusterIs401() throws Exception {
    Reply reply = call("GET", "/v1/cluster", null, null);
    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.body().path("error").path("code").asText()).isNotEmpty();
  }

  @Test
  void anSdkKeyMayNotSeeTheCluster() throws Exception {
    assertThat(call("GET", "/v1/cluster", FakeServices.SDK, null).status()).isEqualTo(403);
  }

  @Test
  void anUnknownTokenIs401() throws Exception {
    assertThat(call("GET", "/v1/cluster", "nobody", null).status()).isEqualTo(401);
  }

  @Test
  void aViewerGetsTheDocumentTheConsoleReads() throws Exception {
    fakes.clusterStatus =
        new ClusterService.ClusterStatus(
            "region-a",
            List.of(
                new ClusterService.RegionStatus("region-a", true, null, null),
                new ClusterService.RegionStatus(
                    "region-b", false, 120L, Instant.parse("2026-11-22T10:00:00Z"))),
            List.of(
                new ClusterService.Member(
                    "pekko://abtest@127.0.0.1:25520",
                    List.of("region-region-a"),
                    "Up",
                    true,
                    true,
                    true,
                    Map.of("Experiment", 12, "ExperimentAggregator", 4),
                    17L),
                new ClusterService.Member(
                    "pekko://abtest@127.0.0.1:25521",
                    List.of(),
                    "Joining",
                    false,
                    false,
                    false,
                    Map.of(),
                    null)),
            17L,
            new ClusterService.KafkaStatus(
                "abtest-events",
                "abtest-aggregators",
                0L,
                List.of(new ClusterService.PartitionLag(0, 100, 100L, 0))));

    Reply reply = call("GET", "/v1/cluster", FakeServices.VIEWER, null);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body())
        .isEqualTo(
            Json.mapper()
                .readTree(
                    """
                    {"region": "region-a",
                     "regions": [
                       {"name": "region-a", "local": true, "replicationLagMs": null, "lastSeenAt": null},
                       {"name": "region-b", "local": false, "replicationLagMs": 120,
                        "lastSeenAt": "2026-11-22T10:00:00Z"}],
                     "members": [
                       {"address": "pekko://abtest@127.0.0.1:25520", "roles": ["region-region-a"],
                        "status": "Up", "reachable": true, "leader": true, "self": true,
                        "shards": {"Experiment": 12, "ExperimentAggregator": 4},
                        "manifestVersion": 17},
                       {"address": "pekko://abtest@127.0.0.1:25521", "roles": [],
                        "status": "Joining", "reachable": false, "leader": false, "self": false,
                        "shards": {}, "manifestVersion": null}],
                     "manifestVersion": 17,
                     "kafka": {"topic": "abtest-events", "group": "abtest-aggregators", "lag": 0,
                       "partitions": [{"partition": 0, "endOffset": 100, "committed": 100, "lag": 0}]}}
                    """));
  }

  @Test
  void unknownPartsAreNullNotMissing() throws Exception {
    fakes.clusterStatus =
        new ClusterService.ClusterStatus("local", List.of(), List.of(), null, null);
    Reply reply = call("GET", "/v1/cluster", FakeServices.ADMIN, null);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().has("manifestVersion")).isTrue();
    assertThat(reply.body().get("manifestVersion").isNull()).isTrue();
    assertThat(reply.body().get("kafka").isNull()).isTrue();
  }
}
