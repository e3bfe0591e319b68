package org.abtest.protocol.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How results may be looked at before the end: fixed horizon, planned looks, or any time. */
public enum SequentialMethod {
  @JsonProperty("none")
  NONE,
  @JsonProperty("obf")
  OBF,
  @JsonProperty("msprt")
  MSPRT
}
