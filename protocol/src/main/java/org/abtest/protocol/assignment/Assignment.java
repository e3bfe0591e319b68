package org.abtest.protocol.assignment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A unit's variant in one experiment and the config it should apply.
 *
 * @param shipped the experiment is concluded and serves this variant to everyone it targets: no
 *     exposure is logged for it (its results are frozen)
 */
public record Assignment(
    String experiment,
    String variant,
    JsonNode config,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean shipped) {

  /** A live experiment's assignment. */
  public Assignment(String experiment, String variant, JsonNode config) {
    this(experiment, variant, config, false);
  }
}
