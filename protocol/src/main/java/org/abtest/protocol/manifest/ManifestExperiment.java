package org.abtest.protocol.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.CborSerializable;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.experiment.Variant;

/**
 * What evaluation needs of one live experiment, and nothing else: the server's evaluators and the
 * SDK download exactly this. Metrics travel too, so that aggregators know what to count.
 */
public record ManifestExperiment(
    String key,
    ExperimentType type,
    int phase,
    String salt,
    String layer,
    SlotRange layerSlots,
    boolean holdout,
    JsonNode targeting,
    int coverage,
    List<Variant> variants,
    Map<String, String> overrides,
    List<MetricDefinition> metrics)
    implements CborSerializable {

  public ManifestExperiment {
    targeting = targeting == null || targeting.isNull() ? null : targeting;
    variants = List.copyOf(variants);
    overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
  }

  public static ManifestExperiment of(Experiment e) {
    return new ManifestExperiment(
        e.key(),
        e.type(),
        e.phase(),
        e.salt(),
        e.layer(),
        e.layerSlots(),
        e.holdout(),
        e.targeting(),
        e.coverage(),
        e.variants(),
        e.overrides(),
        e.metrics());
  }
}
