package org.abtest.analytics.ingest;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.analytics.ingest.RestoreDecision.Action;
import org.abtest.analytics.ingest.RestoreDecision.Found;
import org.abtest.analytics.units.PartitionState;
import org.abtest.analytics.units.PartitionStateCodec;
import org.abtest.analytics.units.PhaseDefinitions;
import org.abtest.analytics.units.UnitStateSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores one newly assigned partition: sweeps its orphaned chunk sets, loads and decodes its
 * snapshot, asks Kafka for the log's earliest offset, and applies {@link RestoreDecision}; every
 * outcome but the normal one is logged (WARN for an exact rebuild, ERROR for a lossy one or a
 * refusal, naming the partition and what to do) and counted in {@link SnapshotHealth}.
 */
final class PartitionRestore {

  private static final Logger log = LoggerFactory.getLogger(PartitionRestore.class);

  /** The outcome: {@code state} is null when the partition is refused. */
  record Restored(RestoreDecision decision, PartitionState state, long generation) {}

  private final PartitionSnapshots snapshots;
  private final Admin admin;
  private final Duration kafkaTimeout;
  private final UnitHasher hasher;
  private final PhaseDefinitions definitions;
  private final Predicate<String> covariateEvents;
  private final UnitStateSettings unitState;

  PartitionRestore(
      PartitionSnapshots snapshots,
      Admin admin,
      Duration kafkaTimeout,
      UnitHasher hasher,
      PhaseDefinitions definitions,
      Predicate<String> covariateEvents,
      UnitStateSettings unitState) {
    this.snapshots = snapshots;
    this.admin = admin;
    this.kafkaTimeout = kafkaTimeout;
    this.hasher = hasher;
    this.definitions = definitions;
    this.covariateEvents = covariateEvents;
    this.unitState = unitState;
  }

  CompletionStage<Restored> restore(TopicPartition tp) {
    return snapshots
        .janitor()
        .sweep(tp.topic(), tp.partition())
        .handle(
            (n, error) -> {
              if (error != null) {
                log.warn("partition {}: orphaned snapshot chunks not swept", tp, error);
              } else if (n > 0) {
                log.info("partition {}: deleted {} orphaned snapshot chunk sets", tp, n);
              }
              return null;
            })
        .thenCompose(v -> snapshots.load(tp.topic(), tp.partition()))
        .thenCompose(found -> earliest(tp).thenApply(earliest -> decide(tp, found, earliest)));
  }

  private Restored decide(
      TopicPartition tp, Optional<PartitionSnapshots.Snapshot> found, long earliest) {
    PartitionState decoded = null;
    String unreadable = null;
    if (found.isPresent() && found.get().complete()) {
      try {
        decoded =
            PartitionStateCodec.decode(
                found.get().stream(), hasher, definitions, covariateEvents, unitState);
      } catch (RuntimeException e) {
        unreadable = String.valueOf(e.getMessage());
      }
    } else if (found.isPresent()) {
      unreadable = found.get().missing();
    }
    Found kind = found.isEmpty() ? Found.NONE : decoded != null ? Found.DECODED : Found.UNDECODABLE;
    long snapshotNext = found.map(PartitionSnapshots.Snapshot::nextOffset).orElse(0L);
    RestoreDecision d =
        RestoreDecision.decide(
            kind, snapshotNext, earliest, snapshots.settings().allowLossyRebuild());
    report(tp, d, unreadable, earliest);
    snapshots.health().restored(tp.partition(), d);
    long generation = found.map(PartitionSnapshots.Snapshot::generation).orElse(0L);
    if (d.action() == Action.REFUSE) {
      return new Restored(d, null, generation);
    }
    PartitionState state =
        d.emptyState(kind)
            ? new PartitionState(hasher, definitions, covariateEvents, unitState)
            : decoded;
    return new Restored(d, state, generation);
  }

  private void report(TopicPartition tp, RestoreDecision d, String unreadable, long earliest) {
    String cause = unreadable == null ? "" : " (" + unreadable + ")";
    switch (d.action()) {
      case RESUME -> log.info("partition {} resumes at offset {}", tp, d.from());
      case FRESH -> {
        if (d.from() > 0) {
          log.warn(
              "partition {}: no snapshot, and the log starts at offset {}: its state starts"
                  + " there",
              tp,
              d.from());
        } else {
          log.info("partition {}: no snapshot, starts at offset 0", tp);
        }
      }
      case REBUILD_EXACT ->
          log.warn(
              "partition {}: snapshot cannot be read{}; rebuilding its unit state from offset 0"
                  + " (exact: the log still starts at 0)",
              tp,
              cause);
      case REBUILD_LOSSY ->
          log.error(
              "partition {}: LOSSY REBUILD (allow-lossy-rebuild is on): {}{}; its unit state"
                  + " starts at offset {} and never sees {} earlier offsets: results of the"
                  + " experiments with units on this partition miss those events",
              tp,
              d.reason(),
              cause,
              d.from(),
              d.lost());
      case REFUSE ->
          log.error(
              "partition {} REFUSED, not consumed: {}{}. Rebuilding it would silently lose {}"
                  + " offsets. Restore the snapshot (or run the version that wrote it), or accept"
                  + " the loss with abtest.aggregation.snapshots.allow-lossy-rebuild = on"
                  + " (ABTEST_ALLOW_LOSSY_REBUILD=true) and restart; see docs/operations.md,"
                  + " 'Unit-state snapshots'",
              tp,
              d.reason(),
              cause,
              earliest < 0 ? "an unknown number of" : Long.toString(d.lost()));
    }
  }

  /** The log's earliest offset for {@code tp}, or -1 when Kafka does not say in time. */
  private CompletionStage<Long> earliest(TopicPartition tp) {
    return admin
        .listOffsets(Map.of(tp, OffsetSpec.earliest()))
        .partitionResult(tp)
        .toCompletionStage()
        .toCompletableFuture()
        .orTimeout(kafkaTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (info, error) -> {
              if (error != null) {
                log.warn("partition {}: earliest offset unknown", tp, error);
                return -1L;
              }
              return info.offset();
            });
  }
}
