package org.abtest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code docs/openapi.yaml}, found above the working directory, for the tests that hold it. */
final class OpenApiDocument {

  private OpenApiDocument() {}

  static JsonNode load() throws IOException {
    Path file = Path.of("docs", "openapi.yaml");
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(file))) {
        return new ObjectMapper(new YAMLFactory()).readTree(dir.resolve(file).toFile());
      }
    }
    throw new IOException("docs/openapi.yaml not found above " + Path.of("").toAbsolutePath());
  }
}
