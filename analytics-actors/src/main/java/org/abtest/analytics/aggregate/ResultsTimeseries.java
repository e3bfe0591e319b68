package org.abtest.analytics.aggregate;

import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.abtest.protocol.Json;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * Snapshots of an experiment phase's totals per time bucket (DESIGN.md §6; the totals document
 * holds every metric and variant; {@link SeriesBuckets} says which bucket, the aggregator when).
 * The row of the current bucket is overwritten as the numbers move, so each bucket ends up holding
 * the totals as they stood at its end: the cumulative curve that shows novelty effects. The column
 * is still called {@code hour}: it holds the bucket's start, 5-minute buckets included.
 */
public final class ResultsTimeseries implements ExperimentAggregator.SeriesSink {

  /** One bucket's totals. */
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

  @Override
  public CompletionStage<Done> write(ExperimentTotals totals, Instant bucket) {
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
            bucket,
            json));
  }

  /** The phase's rows in time order, at most {@code limit} (the writer keeps fewer). */
  public CompletionStage<List<Point>> read(String experiment, int phase, int limit) {
    return session
        .selectAll(
            SimpleStatement.newInstance(
                "SELECT hour, totals FROM "
                    + keyspace
                    + ".results_hourly WHERE experiment = ? AND phase = ? LIMIT ?",
                experiment,
                phase,
                limit))
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
