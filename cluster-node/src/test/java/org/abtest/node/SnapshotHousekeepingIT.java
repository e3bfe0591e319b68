package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.analytics.replay.LogReplay;
import org.abtest.analytics.units.EventStreams;
import org.abtest.analytics.units.UnitStateSettings;
import org.abtest.deploy.testing.RealServers;
import org.abtest.node.replay.Replay;
import org.abtest.protocol.events.TrackedEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Snapshot housekeeping against real Kafka and Cassandra: a failed snapshot's chunks are deleted
 * (by the test fault of ABTEST_TEST_FAIL_SNAPSHOT_AFTER_CHUNKS), an orphan of a crashed write is
 * swept at the next start, and the numbers stay exact through both and a restart; an unreadable
 * snapshot is rebuilt from 0 when the log still starts there, refused when retention truncated it,
 * and rebuilt with the loss logged and counted once the operator allows it.
 */
@ExtendWith(RealServers.class)
class SnapshotHousekeepingIT {

  private static final Map<String, String> ENV =
      Map.of(
          "ABTEST_TEST_FAIL_SNAPSHOT_AFTER_CHUNKS", "1",
          "ABTEST_SNAPSHOT_INTERVAL", "300ms",
          "ABTEST_SNAPSHOT_BYTES_PER_RECORD", "0",
          "ABTEST_SNAPSHOT_ORPHAN_AGE", "2s",
          "ABTEST_HOLD", "10m",
          "ABTEST_COVARIATE_SLACK", "36500d",
          "ABTEST_COVARIATE_EVENTS_PER_UNIT", "8");

  /** The default heap, with the three minutes to get ready that a loaded machine needs. */
  private static final List<String> JVM = List.of("-Xmx512m");

  private static final String CONFIG =
      """
      abtest.aggregation.snapshot-interval = 300ms
      abtest.aggregation.snapshot-bytes-per-record = 0
      abtest.aggregation.hold = 10m
      abtest.aggregation.covariate-slack = 36500d
      abtest.aggregation.covariate-events-per-unit = 8
      """;

  @Test
  void aFailedSnapshotsChunksAreDeletedAndTheNextSnapshotAndARestartGiveExactNumbers()
      throws Exception {
    String ns = "snapshot_fault_it";
    File log = new File("target/" + ns + "-node.log");
    List<TrackedEvent> events = EventStreams.generate(31, 600);
    Map<String, Map<String, Object>> expected = new java.util.TreeMap<>();
    try (SnapshotTables tables = new SnapshotTables(ns, ns + "-events")) {
      NodeProcess node = NodeProcess.start(ns, ENV, log, JVM);
      try {
        // a loaded machine's Cassandra may still be slow right after the servers start (503)
        EventsFixture.eventually(
            () -> node.call("GET", "/v1/experiments", TestNode.ADMIN, null),
            r -> r.status() == 200);
        EventsFixture.createExperiments(node::call);
        EventsFixture.send(node::call, events);
        for (String key : List.of("checkout", "search")) {
          expected.put(key, EventsFixture.expected(node::call, key, events));
          assertThat(EventsFixture.awaitNumbers(node::call, key, expected.get(key)))
              .isEqualTo(expected.get(key));
        }
        // every partition's first snapshot failed after one chunk; the next one succeeded, and
        // only the chunk sets the heads name are left
        awaitUntil(
            () -> tables.heads().size() == 8 && tables.chunkSets().equals(tables.headSets()));
        awaitUntil(
            () ->
                SnapshotTables.metric(
                        metrics(node),
                        "abtest_unit_state_snapshot_cleanups_total",
                        "cause=\"failed_write\"")
                    == 8);
        // a writer that died mid-write an hour ago left this behind
        tables.plantOrphan(3, 4242, Instant.now().minus(Duration.ofHours(1)));
        assertThat(tables.chunkSets()).contains("3/4242");
      } finally {
        node.stop();
      }

      NodeProcess restarted = NodeProcess.start(ns, ENV, log, JVM);
      try {
        for (String key : List.of("checkout", "search")) {
          assertThat(EventsFixture.awaitNumbers(restarted::call, key, expected.get(key)))
              .isEqualTo(expected.get(key));
        }
        // swept when partition 3 started (the numbers above were the aggregators' already)
        awaitUntil(() -> !tables.chunkSets().contains("3/4242"));
        assertThat(
                SnapshotTables.metric(
                    metrics(restarted),
                    "abtest_unit_state_snapshot_cleanups_total",
                    "cause=\"orphan\""))
            .isEqualTo(1);
      } finally {
        restarted.stop();
      }
    }
  }

  @Test
  void anUnreadableSnapshotIsRebuiltExactlyFromZeroRefusedOnATruncatedLogAndRebuiltWhenAllowed()
      throws Exception {
    String ns = "snapshot_refuse_it";
    String topic = ns + "-events";
    List<TrackedEvent> events = EventStreams.generate(32, 400);
    Map<String, Map<String, Object>> expected = new java.util.TreeMap<>();
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    ((Logger) LoggerFactory.getLogger("org.abtest.analytics.ingest.PartitionRestore"))
        .addAppender(logged);
    try (SnapshotTables tables = new SnapshotTables(ns, topic)) {
      try (TestNode node = TestNode.start(ns, CONFIG)) {
        EventsFixture.createExperiments(node::call);
        EventsFixture.send(node::call, events);
        for (String key : List.of("checkout", "search")) {
          expected.put(key, EventsFixture.expected(node::call, key, events));
          assertThat(EventsFixture.awaitNumbers(node::call, key, expected.get(key)))
              .isEqualTo(expected.get(key));
        }
        awaitUntil(() -> tables.heads().size() == 8);
      }
      // partition 1 unreadable with its log intact; partition 2 unreadable, its first record gone
      tables.corruptHead(1);
      tables.corruptHead(2);
      try (Admin admin =
          Admin.create(
              Map.of(
                  AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                  RealServers.endpoints().kafkaBootstrap()))) {
        admin
            .deleteRecords(Map.of(new TopicPartition(topic, 2), RecordsToDelete.beforeOffset(1)))
            .all()
            .get();
      }

      try (TestNode node = TestNode.start(ns, CONFIG)) {
        var ready =
            EventsFixture.eventually(
                () -> node.call("GET", "/health/ready", null, null),
                r -> r.body().has("refusedPartitions"));
        assertThat(ready.status()).isEqualTo(200); // assignment is unaffected
        assertThat(ready.body().at("/checks/ingestion").asText()).isEqualTo("refused_partitions");
        assertThat(ready.body().get("refusedPartitions").fieldNames())
            .toIterable()
            .containsExactly("2");
        // partitions are restored one after the other: wait for both
        awaitUntil(
            () -> {
              String text = metrics(node);
              return SnapshotTables.metric(
                          text, "abtest_unit_state_rebuild_refused", "partition=\"2\"")
                      == 1
                  && SnapshotTables.metric(
                          text, "abtest_unit_state_rebuilds_total", "kind=\"exact\"")
                      == 1;
            });
        assertThat(messages(logged, Level.ERROR)).anyMatch(m -> m.contains(topic + "-2 REFUSED"));
        assertThat(messages(logged, Level.WARN))
            .anyMatch(m -> m.contains(topic + "-1") && m.contains("from offset 0"));
        // partition 1 rebuilt from 0 is exact; partition 2's last partial is still the aggregators'
        for (String key : List.of("checkout", "search")) {
          assertThat(EventsFixture.awaitNumbers(node::call, key, expected.get(key)))
              .isEqualTo(expected.get(key));
        }
      }

      try (TestNode node =
          TestNode.start(ns, CONFIG + "abtest.aggregation.snapshots.allow-lossy-rebuild = on\n")) {
        // "ok" also before the partitions are assigned: the rebuild is what to wait for
        awaitUntil(
            () ->
                SnapshotTables.metric(
                        metrics(node), "abtest_unit_state_rebuilds_total", "kind=\"lossy\"")
                    == 1);
        String metrics = metrics(node);
        assertThat(
                node.call("GET", "/health/ready", null, null)
                    .body()
                    .at("/checks/ingestion")
                    .asText())
            .isEqualTo("ok");
        assertThat(
                SnapshotTables.metric(metrics, "abtest_unit_state_rebuild_lost_offsets_total", ""))
            .isEqualTo(1);
        assertThat(messages(logged, Level.ERROR))
            .anyMatch(m -> m.contains(topic + "-2: LOSSY REBUILD") && m.contains("1 earlier"));
        // live now equals a replay of what the log still holds
        for (String key : List.of("checkout", "search")) {
          var experiment =
              Replay.experiment(
                  node.call("GET", "/v1/experiments/" + key, TestNode.ADMIN, null).body());
          var replayed =
              Replay.numbers(
                  LogReplay.replay(
                      RealServers.endpoints().kafkaBootstrap(),
                      topic,
                      EventsFixture.definition(experiment),
                      new UnitHasher("local-unit-hash-key"),
                      new UnitStateSettings(
                              Duration.ofHours(24), 24, Duration.ofMinutes(10), 64, 1_000_000)
                          .withCovariate(Duration.ofDays(7), Duration.ofDays(36500), 8)),
                  experiment);
          assertThat(EventsFixture.awaitNumbers(node::call, key, replayed)).isEqualTo(replayed);
        }
      }
    }
  }

  private static List<String> messages(ListAppender<ILoggingEvent> appender, Level level) {
    List<String> out = new ArrayList<>();
    for (ILoggingEvent e : List.copyOf(appender.list)) {
      if (e.getLevel() == level) {
        out.add(e.getFormattedMessage());
      }
    }
    return out;
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private static void awaitUntil(Check check) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(check::ok);
  }

  private static String metrics(TestNode node) throws Exception {
    return get(node.baseUrl() + "/metrics");
  }

  private static String metrics(NodeProcess node) throws Exception {
    return get(node.baseUrl() + "/metrics");
  }

  private static String get(String url) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
