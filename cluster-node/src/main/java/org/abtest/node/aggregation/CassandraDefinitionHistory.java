package org.abtest.node.aggregation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.analytics.units.ExperimentDefinition;
import org.abtest.analytics.units.WeightEpoch;
import org.abtest.georeplication.CassandraSchema;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.MetricDefinition;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * {@link DefinitionHistory} in a CQL table of the aggregation keyspace, one row per experiment ×
 * phase, the metrics and the phase's weight epochs as JSON (readable with cqlsh), and the phase's
 * start (null when the manifest that showed it did not carry it). Every node writes what its
 * manifest shows; the rows are equal whoever writes them, so no condition is needed.
 */
public final class CassandraDefinitionHistory implements DefinitionHistory {

  private static final TypeReference<List<MetricDefinition>> METRICS = new TypeReference<>() {};
  private static final TypeReference<List<WeightEpoch>> EPOCHS = new TypeReference<>() {};

  private final CassandraSession session;
  private final String table;
  private final CassandraSchema schema;

  /**
   * @param createTables true only in local and test config: production creates it by migration
   */
  public CassandraDefinitionHistory(
      CassandraSession session, String keyspace, String replication, boolean createTables) {
    this.session = session;
    this.table = keyspace + ".experiment_definitions";
    this.schema =
        new CassandraSchema(
            session,
            keyspace,
            replication,
            "CREATE TABLE IF NOT EXISTS "
                + table
                + " (experiment text, phase int, metrics text, epochs text,"
                + " started_at timestamp, PRIMARY KEY (experiment, phase))",
            createTables);
  }

  @Override
  public CompletionStage<List<ExperimentDefinition>> loadAll(int limit) {
    return schema
        .ready()
        .thenCompose(
            done ->
                session.selectAll(
                    "SELECT experiment, phase, metrics, epochs, started_at FROM "
                        + table
                        + " LIMIT "
                        + limit))
        .thenApply(
            rows -> {
              List<ExperimentDefinition> out = new ArrayList<>(rows.size());
              rows.forEach(
                  r ->
                      out.add(
                          ExperimentDefinition.of(
                                  r.getString("experiment"),
                                  r.getInt("phase"),
                                  read(r.getString("metrics"), METRICS))
                              .withEpochs(
                                  r.getString("epochs") == null
                                      ? List.of()
                                      : read(r.getString("epochs"), EPOCHS))
                              .withStartedAt(r.getInstant("started_at"))));
              return out;
            });
  }

  @Override
  public CompletionStage<Void> save(ExperimentDefinition d) {
    String json;
    String epochs;
    try {
      json = Json.mapper().writeValueAsString(d.metrics());
      epochs = Json.mapper().writeValueAsString(d.epochs());
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(e);
    }
    return schema
        .ready()
        .thenCompose(
            done ->
                session.executeWrite(
                    "INSERT INTO "
                        + table
                        + " (experiment, phase, metrics, epochs, started_at) VALUES (?, ?, ?, ?, ?)",
                    d.key(),
                    d.phase(),
                    json,
                    epochs,
                    d.startedAt()))
        .thenApply(done -> null);
  }

  private static <T> T read(String json, TypeReference<T> type) {
    try {
      return Json.mapper().readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored definition does not read: " + e.getMessage(), e);
    }
  }
}
