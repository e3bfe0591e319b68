package org.abtest.node.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import org.abtest.georeplication.ExperimentEntity;
import org.abtest.georeplication.ExperimentState;
import org.abtest.georeplication.Origin;
import org.abtest.http.ports.ExperimentService.FieldChange;
import org.abtest.http.ports.ExperimentService.HistoryEntry;
import org.abtest.http.ports.PortFailure;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.ExperimentPatch;
import org.abtest.protocol.experiment.Lifecycle;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * The audit trail of an experiment, read straight from this region's replica in the journal, which
 * holds every region's events once replicated: who (credential id and name), what (each field's
 * value before and after), when, where.
 */
public final class JournalHistory {

  private final ActorSystem<?> system;
  private final CassandraReadJournal journal;
  private final String region;
  private final Duration timeout;

  public JournalHistory(ActorSystem<?> system, String region, Duration timeout) {
    this.system = system;
    this.journal =
        PersistenceQuery.get(system)
            .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
    this.region = region;
    this.timeout = timeout;
  }

  public CompletionStage<List<HistoryEntry>> history(String key) {
    return journal
        .currentEventsByPersistenceId(
            ExperimentEntity.persistenceId(key, region), 0L, Long.MAX_VALUE)
        .completionTimeout(timeout)
        .runWith(Sink.seq(), system)
        .thenApply(
            envelopes -> {
              if (envelopes.isEmpty()) {
                throw PortFailure.notFound("no experiment with key '" + key + "'");
              }
              return entries(envelopes);
            });
  }

  /**
   * Every event as an entry, folded in journal order through the entity's own rules so that each
   * change shows the value it replaced: the replica's state just before it.
   */
  static List<HistoryEntry> entries(List<EventEnvelope> envelopes) {
    return fold(
        envelopes.stream()
            .map(e -> new Numbered(e.sequenceNr(), (ExperimentEntity.Event) e.event()))
            .toList());
  }

  /** An event with its sequence number in the replica's journal. */
  record Numbered(long sequenceNr, ExperimentEntity.Event event) {}

  static List<HistoryEntry> fold(List<Numbered> events) {
    List<HistoryEntry> entries = new ArrayList<>(events.size());
    ExperimentState state = ExperimentState.EMPTY;
    for (Numbered numbered : events) {
      entries.add(entry(numbered.sequenceNr(), numbered.event(), state));
      state = ExperimentEntity.apply(state, numbered.event());
    }
    return entries;
  }

  static HistoryEntry entry(long sequenceNr, ExperimentEntity.Event event, ExperimentState before) {
    Origin o = event.origin();
    Experiment old = before.exists() ? before.experiment() : null;
    List<FieldChange> changes = new ArrayList<>();
    String action = null;
    String reason = null;
    if (event instanceof ExperimentEntity.ExperimentCreated created) {
      for (ExperimentField field : ExperimentField.perField()) {
        if (field.get(created.experiment()) != null) {
          changes.add(change(field, old, created.experiment()));
        }
      }
    } else if (event instanceof ExperimentEntity.ExperimentRevised change) {
      change.fields().forEach(f -> changes.add(change(f, old, change.revised())));
    } else if (event instanceof ExperimentEntity.ExperimentChanged legacy) {
      ExperimentPatch patch = ExperimentPatch.fromJson(legacy.changes());
      Experiment revised = old == null ? null : patch.applyTo(old);
      patch.fields().forEach(f -> changes.add(change(f, old, revised)));
    } else if (event instanceof ExperimentEntity.StatusChanged status) {
      action = status.action().name().toLowerCase(Locale.ROOT);
      reason = status.reason();
      changes.add(
          new FieldChange(
              ExperimentField.STATUS.jsonName(),
              old == null ? null : value(old.status()),
              value(status.action().target())));
      String shippedBefore = old == null ? null : old.shipped();
      String shippedAfter = status.action() == Lifecycle.CONCLUDE ? status.ship() : null;
      if (shippedBefore != null || shippedAfter != null) {
        changes.add(
            new FieldChange(
                ExperimentField.SHIPPED.jsonName(), value(shippedBefore), value(shippedAfter)));
      }
    }
    return new HistoryEntry(
        sequenceNr,
        // the API's name for a change, whichever journal version wrote it
        event instanceof ExperimentEntity.ExperimentRevised
            ? "ExperimentChanged"
            : event.getClass().getSimpleName(),
        o.at(),
        o.region(),
        o.actorId(),
        o.actorName(),
        changes.stream().map(FieldChange::field).toList(),
        action,
        changes,
        reason);
  }

  private static FieldChange change(ExperimentField field, Experiment before, Experiment after) {
    return new FieldChange(
        field.jsonName(),
        before == null ? null : value(field.get(before)),
        after == null ? null : value(field.get(after)));
  }

  private static JsonNode value(Object value) {
    return value == null ? null : Json.mapper().valueToTree(value);
  }
}
