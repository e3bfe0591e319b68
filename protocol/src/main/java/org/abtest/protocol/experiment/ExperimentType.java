package org.abtest.protocol.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A feature flag is a single-variant experiment with a config payload; a bandit's weights move. */
public enum ExperimentType {
  @JsonProperty("experiment")
  EXPERIMENT,
  @JsonProperty("flag")
  FLAG,
  @JsonProperty("bandit")
  BANDIT
}
