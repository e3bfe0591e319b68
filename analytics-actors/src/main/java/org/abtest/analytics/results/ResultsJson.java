package org.abtest.analytics.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.abtest.protocol.Json;

/** The document as the API writes it: the shared JSON settings, but undefined numbers as null. */
public final class ResultsJson {
  private static final ObjectMapper MAPPER =
      Json.mapper().copy().setSerializationInclusion(JsonInclude.Include.ALWAYS);

  private ResultsJson() {}

  public static JsonNode tree(ResultsDocument document) {
    return MAPPER.valueToTree(document);
  }
}
