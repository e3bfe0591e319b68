package org.abtest.node.results;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.MetricSums;
import org.abtest.analytics.aggregate.ResultsTimeseries;
import org.abtest.analytics.aggregate.SeriesBuckets;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.Variant;

/**
 * The document of {@code GET …/results/timeseries}: the bucketed snapshots of a phase's totals (5
 * minutes in a phase's first day, hours after, see {@link SeriesBuckets}); per bucket, units per
 * variant, the exact per-metric sums with mean and variance, the funnel and the data-quality count.
 */
final class TimeseriesDocument {

  private TimeseriesDocument() {}

  /**
   * Each point's {@code hour} is its bucket's start (the name predates 5-minute buckets), {@code
   * end} where the bucket ends (null for the last row of a phase at its row limit, which stays
   * open).
   *
   * @param phaseStart when the phase's aggregation started, null if it has not
   */
  static ObjectNode of(
      Experiment experiment,
      Instant phaseStart,
      List<ResultsTimeseries.Point> points,
      SeriesBuckets buckets) {
    ObjectNode doc = Json.mapper().createObjectNode();
    doc.put("experiment", experiment.key());
    doc.put("phase", experiment.phase());
    ArrayNode out = doc.putArray("points");
    for (ResultsTimeseries.Point p : points) {
      ObjectNode point = out.addObject();
      point.put("hour", p.hour().toString());
      Instant end = phaseStart == null ? null : buckets.endOf(phaseStart, p.hour());
      if (end == null) {
        point.putNull("end");
      } else {
        point.put("end", end.toString());
      }
      body(point, experiment, p.totals());
    }
    return doc;
  }

  /** Variants, metrics, funnel and data quality: shared by the document and each hour. */
  private static void body(ObjectNode doc, Experiment experiment, ExperimentTotals totals) {
    ArrayNode variants = doc.putArray("variants");
    for (Variant v : experiment.variants()) {
      variants
          .addObject()
          .put("variant", v.key())
          .put("units", totals.unitsPerVariant().getOrDefault(v.key(), 0L));
    }
    ArrayNode metrics = doc.putArray("metrics");
    for (MetricDefinition m : experiment.metrics()) {
      ObjectNode metric = metrics.addObject();
      metric.put("metric", m.key());
      metric.put("kind", m.kind().name().toLowerCase(Locale.ROOT));
      ArrayNode perVariant = metric.putArray("variants");
      Map<String, MetricSums> sums = totals.metrics().getOrDefault(m.key(), Map.of());
      for (Variant v : experiment.variants()) {
        MetricSums s = sums.getOrDefault(v.key(), MetricSums.ZERO);
        ObjectNode row = perVariant.addObject();
        row.put("variant", v.key()).put("n", s.n()).put("sum", s.sum());
        row.put("sumSquares", s.sumSquares());
        if (m.isRatio()) {
          // a ratio's numerator sums above; its denominators' beside them, and the ratio itself
          row.put("denominatorSum", s.covSum()).put("denominatorSumSquares", s.covSumSquares());
          row.put("sumProducts", s.covSumProducts());
          if (s.covSum() != 0) {
            row.put("mean", s.sum() / s.covSum());
          }
        } else if (s.n() > 0) {
          double mean = s.sum() / s.n();
          row.put("mean", mean);
          if (s.n() > 1) {
            row.put("variance", (s.sumSquares() - s.n() * mean * mean) / (s.n() - 1));
          }
        }
      }
    }
    if (!totals.funnelSteps().isEmpty()) {
      ArrayNode funnel = doc.putArray("funnel");
      for (Variant v : experiment.variants()) {
        ObjectNode row = funnel.addObject().put("variant", v.key());
        ArrayNode steps = row.putArray("steps");
        totals.funnelSteps().getOrDefault(v.key(), List.of()).forEach(steps::add);
      }
    }
    doc.putObject("dataQuality").put("multipleExposureUnits", totals.multipleExposureUnits());
  }
}
