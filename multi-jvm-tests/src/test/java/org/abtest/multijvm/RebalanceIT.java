package org.abtest.multijvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, "the rebalance case": members join and leave the aggregators' consumer group every few
 * seconds while events stream in, so that partitions are revoked with batches in flight. Each join
 * or leave is a rebalance of every member (the group uses Kafka's eager default assignors: all
 * partitions are revoked, then assigned again). The extra members are plain consumers in the test
 * JVM that read and commit nothing, so the partitions they hold while they are in the group wait,
 * and the nodes resume them from their snapshots when they leave. Two node JVMs on real Cassandra
 * and Kafka. The nodes' events consumer stream must never restart ({@code
 * abtest_ingestion_stream_restarts_total} stays 0: a restart is a new member, i.e. one more
 * rebalance, the loop that was suspected), and the results must equal a recomputation of exactly
 * the acknowledged events.
 *
 * <p>Before the fix: 10 extra members gave 14 stream restarts ("partition ... was reassigned"). A
 * partition revoked and assigned again to the same node keeps its connector stream, but the node
 * replaced its actor, so every batch of the kept stream was for a replaced actor and failed the
 * stream; the restart was a new member, so one more rebalance.
 */
class RebalanceIT {

  private static final String KEY = "mjvm-rebalance";

  /** Extra members that join and leave, and the longest the churn may take. */
  private static final int JOINS = Integer.getInteger("abtest.churn.joins", 10);

  private static final Duration CHURN_LIMIT = Duration.ofMinutes(3);

  /** Ports shifted by 100, so that this class can run beside OperationsIT. */
  private static final int PORT_SHIFT = 100;

  @Test
  void membersJoiningAndLeavingUnderLoadNeverRestartTheStreamAndCountEveryEventOnce()
      throws Exception {
    try (Region region = Region.start("rebalance", 31000, PORT_SHIFT)) {
      region.startNodes(2, Map.of());
      region.nodes.get(0).http().createAndStart(KEY);
      for (NodeJvm node : region.nodes) {
        Await.until(
            KEY + " in " + node.name + "'s manifest",
            Duration.ofSeconds(30),
            () -> node.http().assigns("probe", KEY));
      }
      EventLoad load = new EventLoad(KEY);
      List<EventLoad.UnitEvents> units = EventLoad.units("rb", 0, 40_000);
      AtomicBoolean sending = new AtomicBoolean(true);
      AtomicInteger joins = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      long started = System.nanoTime();
      try {
        Future<?> sender =
            pool.submit(
                () -> {
                  long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
                  for (int b = 0; sending.get() && (b + 1) * 25 <= units.size(); b++) {
                    load.sendUntilAcked(
                        units.subList(b * 25, (b + 1) * 25), region::anyNode, deadline, 100);
                    Thread.sleep(20); // pacing the load
                  }
                  return null;
                });
        Future<?> churn =
            pool.submit(
                () -> {
                  long end = System.nanoTime() + CHURN_LIMIT.toNanos();
                  while (joins.get() < JOINS && System.nanoTime() < end) {
                    joinHoldAndLeave(region.kafka.bootstrap(), joins);
                  }
                  return null;
                });
        churn.get();
        sending.set(false);
        sender.get();
      } finally {
        sending.set(false);
        pool.shutdownNow();
      }
      double churnSeconds = (System.nanoTime() - started) / 1e9;
      Map<String, Object> expected = load.expected();
      long settleStart = System.nanoTime();
      Map<String, Object> live =
          Await.value(
              Duration.ofSeconds(120),
              expected,
              () ->
                  EventLoad.live(
                      region
                          .anyNode()
                          .call("GET", "/v1/experiments/" + KEY + "/results", NodeJvm.ADMIN, null)
                          .body()));
      double restarts = 0;
      double stale = 0;
      long assignments = 0;
      long continued = 0;
      for (NodeJvm node : region.nodes) {
        restarts += NodeMetrics.value(node, "abtest_ingestion_stream_restarts_total");
        stale += NodeMetrics.value(node, "abtest_ingestion_stale_batches_total");
        assignments += logLines(region, node, "resumes at offset");
        continued += logLines(region, node, "assigned again, continues");
      }
      System.out.printf(
          "[rebalance] %.0f s of churn: %d extra members joined and left; %d batches (%d units)"
              + " acknowledged, %d failed attempts %s; partitions loaded from a snapshot %d, kept by their stream and actor %d;"
              + " stream restarts %.0f; stale batches dropped %.0f; results equal %.1f s after"
              + " the load stopped: %s%n",
          churnSeconds,
          joins.get(),
          load.batchesAcked.get(),
          load.ackedUnits(),
          load.attemptsFailed.get(),
          load.failuresByStatus,
          assignments,
          continued,
          restarts,
          stale,
          (System.nanoTime() - settleStart) / 1e9,
          live.equals(expected));
      System.out.printf("[rebalance] expected %s%n[rebalance] live     %s%n", expected, live);
      assertThat(joins.get()).as("extra members that joined").isEqualTo(JOINS);
      assertThat(live).isEqualTo(expected);
      assertThat(restarts).as("events consumer stream restarts on the nodes").isZero();
    }
  }

  /** One extra member: joins, holds its partitions for a second, leaves (each a rebalance). */
  private static void joinHoldAndLeave(String bootstrap, AtomicInteger joins)
      throws InterruptedException {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, Region.GROUP);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Region.TOPIC));
      long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (consumer.assignment().isEmpty() && System.nanoTime() < until) {
        consumer.poll(Duration.ofMillis(200));
      }
      if (!consumer.assignment().isEmpty()) {
        joins.incrementAndGet();
      }
      long hold = System.nanoTime() + Duration.ofSeconds(1).toNanos();
      while (System.nanoTime() < hold) {
        consumer.poll(Duration.ofMillis(200));
      }
    }
    Thread.sleep(1500); // a deliberate pause between members: each leave is its own rebalance
  }

  private static long logLines(Region region, NodeJvm node, String text) {
    try (var lines = Files.lines(region.harness.dir.resolve(node.name + ".log"))) {
      return lines.filter(l -> l.contains(text)).count();
    } catch (java.io.IOException e) {
      return -1;
    }
  }
}
