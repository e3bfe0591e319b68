package org.abtest.node.experiments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import org.abtest.georeplication.ExperimentEntity;
import org.abtest.georeplication.Origin;
import org.abtest.http.ports.ExperimentService.HistoryEntry;
import org.abtest.http.ports.PortFailure;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.ExperimentField;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * The audit trail of an experiment, read straight from this region's replica in the journal, which
 * holds every region's events once replicated: who (credential id and name), what, when, where.
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
        .map(JournalHistory::entry)
        .runWith(Sink.seq(), system)
        .thenApply(
            entries -> {
              if (entries.isEmpty()) {
                throw PortFailure.notFound("no experiment with key '" + key + "'");
              }
              return entries;
            });
  }

  static HistoryEntry entry(EventEnvelope envelope) {
    var event = (ExperimentEntity.Event) envelope.event();
    Origin o = event.origin();
    List<String> changed = new ArrayList<>();
    String action = null;
    if (event instanceof ExperimentEntity.ExperimentCreated created) {
      Json.mapper()
          .valueToTree(created.experiment())
          .fieldNames()
          .forEachRemaining(
              f -> {
                ExperimentField field = ExperimentField.fromJson(f);
                if (field != null && field.resolution() == ExperimentField.Resolution.PER_FIELD) {
                  changed.add(f);
                }
              });
    } else if (event instanceof ExperimentEntity.ExperimentRevised change) {
      change.fields().forEach(f -> changed.add(f.jsonName()));
    } else if (event instanceof ExperimentEntity.ExperimentChanged legacy) {
      legacy.changes().fieldNames().forEachRemaining(changed::add);
    } else if (event instanceof ExperimentEntity.StatusChanged status) {
      action = status.action().name().toLowerCase(Locale.ROOT);
      changed.add("status");
    }
    return new HistoryEntry(
        envelope.sequenceNr(),
        // the API's name for a change, whichever journal version wrote it
        event instanceof ExperimentEntity.ExperimentRevised
            ? "ExperimentChanged"
            : event.getClass().getSimpleName(),
        o.at(),
        o.region(),
        o.actorId(),
        o.actorName(),
        changed,
        action);
  }
}
