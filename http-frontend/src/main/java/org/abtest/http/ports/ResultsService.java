package org.abtest.http.ports;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletionStage;

/** The results document of an experiment (API.md, Results). */
public interface ResultsService {
  CompletionStage<JsonNode> results(String key);
}
