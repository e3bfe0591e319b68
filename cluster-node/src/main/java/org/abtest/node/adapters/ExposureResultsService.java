package org.abtest.node.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.abtest.analytics.aggregate.ExposureAggregator;
import org.abtest.http.ports.ExperimentService;
import org.abtest.http.ports.ResultsService;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.Variant;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/** The results document: for now, units exposed per variant, in the experiment's variant order. */
public final class ExposureResultsService implements ResultsService {

  private final ExperimentService experiments;
  private final ClusterSharding sharding;
  private final Duration timeout;
  private final Clock clock;

  public ExposureResultsService(
      ExperimentService experiments, ClusterSharding sharding, Duration timeout, Clock clock) {
    this.experiments = experiments;
    this.sharding = sharding;
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public CompletionStage<JsonNode> results(String key) {
    return experiments
        .get(key)
        .thenCompose(
            experiment ->
                sharding
                    .entityRefFor(ExposureAggregator.ENTITY_TYPE_KEY, key)
                    .ask(ExposureAggregator.GetCounts::new, timeout)
                    .thenApply(counts -> document(experiment, counts)));
  }

  private JsonNode document(Experiment experiment, ExposureAggregator.Counts counts) {
    ObjectNode doc = Json.mapper().createObjectNode();
    doc.put("experiment", experiment.key());
    doc.put("phase", 1);
    doc.put("asOf", clock.instant().toString());
    doc.put("status", experiment.status().name());
    ArrayNode variants = doc.putArray("variants");
    for (Variant variant : experiment.variants()) {
      variants
          .addObject()
          .put("variant", variant.key())
          .put("units", counts.unitsPerVariant().getOrDefault(variant.key(), 0L));
    }
    return doc;
  }
}
