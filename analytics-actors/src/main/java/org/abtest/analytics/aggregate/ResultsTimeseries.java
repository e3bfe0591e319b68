package org.abtest.analytics.aggregate;

import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.abtest.protocol.Json;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * Hourly snapshots of an experiment phase's totals (DESIGN.md §6: per experiment, hour; the totals
 * document holds every metric and variant). The row of the current hour is overwritten as the
 * numbers move, so each hour ends up holding the totals as they stood at its end: the cumulative
 * curve that shows novelty effects.
 */
public final class ResultsTimeseries {

  /** One hour's totals. */
  public record Point(Instant hour, ExperimentTotals totals) {}

  private final CassandraSession session;
  private final String keyspace;

  public ResultsTimeseries(CassandraSession session, String keyspace) {
    this.session = session;
    this.keyspace = keyspace;
  }

  public CompletionStage<Done> createTable() {
    return session.executeDDL(
        "CREATE TABLE IF NOT EXISTS "
            + keyspace
            + ".results_hourly (experiment text, phase int, hour timestamp, totals text,"
            + " PRIMARY KEY ((experiment, phase), hour))");
  }

  public CompletionStage<Done> write(ExperimentTotals totals, Instant now) {
    String json;
    try {
      json = Json.mapper().writeValueAsString(totals);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return session.executeWrite(
        SimpleStatement.newInstance(
            "INSERT INTO "
                + keyspace
                + ".results_hourly (experiment, phase, hour, totals) VALUES (?, ?, ?, ?)",
            totals.experiment(),
            totals.phase(),
            now.truncatedTo(ChronoUnit.HOURS),
            json));
  }

  public CompletionStage<List<Point>> read(String experiment, int phase) {
    return session
        .selectAll(
            SimpleStatement.newInstance(
                "SELECT hour, totals FROM "
                    + keyspace
                    + ".results_hourly WHERE experiment = ? AND phase = ?",
                experiment,
                phase))
        .thenApply(
            rows ->
                rows.stream()
                    .map(
                        r -> {
                          try {
                            return new Point(
                                r.getInstant("hour"),
                                Json.mapper()
                                    .readValue(r.getString("totals"), ExperimentTotals.class));
                          } catch (JsonProcessingException e) {
                            throw new IllegalStateException(e);
                          }
                        })
                    .toList());
  }
}
