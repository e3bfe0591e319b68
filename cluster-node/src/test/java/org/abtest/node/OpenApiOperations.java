package org.abtest.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The operations of {@code docs/openapi.yaml}, read when the test runs so that an operation added
 * to the contract is fuzzed without touching the test.
 */
final class OpenApiOperations {

  private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

  /** One operation; {@code body} is its request body's schema, or null without one. */
  record Operation(String method, String path, List<String> queryParameters, JsonNode body) {
    boolean hasPathParameters() {
      return path.contains("{");
    }
  }

  private final JsonNode document;

  private OpenApiOperations(JsonNode document) {
    this.document = document;
  }

  static OpenApiOperations load() throws IOException {
    Path file = Path.of("docs", "openapi.yaml");
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(file))) {
        return new OpenApiOperations(
            new ObjectMapper(new YAMLFactory()).readTree(dir.resolve(file).toFile()));
      }
    }
    throw new IOException("docs/openapi.yaml not found above " + Path.of("").toAbsolutePath());
  }

  List<Operation> operations() {
    List<Operation> out = new ArrayList<>();
    document
        .path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        op -> {
                          if (METHODS.contains(op.getKey())) {
                            out.add(operation(path.getKey(), op.getKey(), op.getValue()));
                          }
                        }));
    return out;
  }

  private Operation operation(String path, String method, JsonNode spec) {
    List<String> query = new ArrayList<>();
    spec.path("parameters")
        .forEach(
            p -> {
              JsonNode param = resolve(p);
              if ("query".equals(param.path("in").asText())) {
                query.add(param.path("name").asText());
              }
            });
    JsonNode body = spec.path("requestBody").path("content").path("application/json");
    return new Operation(
        method.toUpperCase(java.util.Locale.ROOT),
        path,
        query,
        body.isMissingNode() ? null : resolve(body.path("schema")));
  }

  /** Follows a local {@code $ref} ("#/components/schemas/X"), once per level. */
  JsonNode resolve(JsonNode node) {
    JsonNode at = node;
    for (int hops = 0; hops < 8 && at.has("$ref"); hops++) {
      String ref = at.get("$ref").asText();
      if (!ref.startsWith("#/")) {
        return at;
      }
      JsonNode target = document;
      for (String part : ref.substring(2).split("/")) {
        target = target.path(part.replace("~1", "/").replace("~0", "~"));
      }
      at = target;
    }
    return at;
  }
}
