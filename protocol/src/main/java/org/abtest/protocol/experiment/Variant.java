package org.abtest.protocol.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.abtest.protocol.CborSerializable;

/**
 * One arm of an experiment: its weight in basis points and the config payload its units receive.
 */
public record Variant(String key, int weight, JsonNode config) implements CborSerializable {
  public Variant {
    if (config == null) {
      config = JsonNodeFactory.instance.objectNode();
    }
  }
}
