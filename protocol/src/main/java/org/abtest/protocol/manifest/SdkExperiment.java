package org.abtest.protocol.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.experiment.Variant;

/**
 * One live experiment as the SDK manifest shows it: what DESIGN.md §3 evaluates and nothing more.
 * The layer appears as its salt (the layer's key is a name); overrides map {@link SdkKeys#unit
 * hashed unit ids} to variant keys.
 *
 * @param key the experiment key, or its {@link SdkKeys#experiment keyed hash} when obfuscated
 * @param layerSalt the salt of the experiment's layer, or null without a layer
 * @param variants in declared order; keys are {@link SdkKeys#variant hashed} when obfuscated
 * @param sticky whether an SDK keeps each unit's first variant ({@code stickyBucketing}); absent
 *     when false
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SdkExperiment(
    String key,
    String salt,
    String layerSalt,
    SlotRange layerSlots,
    boolean holdout,
    JsonNode targeting,
    int coverage,
    List<Variant> variants,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> overrides,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean sticky) {

  /** An entry without sticky bucketing. */
  public SdkExperiment(
      String key,
      String salt,
      String layerSalt,
      SlotRange layerSlots,
      boolean holdout,
      JsonNode targeting,
      int coverage,
      List<Variant> variants,
      Map<String, String> overrides) {
    this(
        key, salt, layerSalt, layerSlots, holdout, targeting, coverage, variants, overrides, false);
  }

  public SdkExperiment {
    targeting = targeting == null || targeting.isNull() ? null : targeting;
    variants = variants == null ? List.of() : List.copyOf(variants);
    overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
  }
}
