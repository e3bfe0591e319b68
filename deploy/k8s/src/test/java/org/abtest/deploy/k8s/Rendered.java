package org.abtest.deploy.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** An overlay as kustomize renders it: the objects, and lookups the invariants need. */
record Rendered(String region, List<JsonNode> objects) {

  static final Path OVERLAYS = Path.of("overlays").toAbsolutePath();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Map<Path, Rendered> CACHE = new ConcurrentHashMap<>();

  static List<Path> overlays() throws IOException {
    try (Stream<Path> dirs = Files.list(OVERLAYS)) {
      return dirs.filter(Files::isDirectory).sorted().toList();
    }
  }

  /** Rendered once per overlay with the primary kubectl, shared by every test. */
  static Rendered of(Path overlay) throws Exception {
    Rendered cached = CACHE.get(overlay);
    if (cached == null) {
      cached = render(Kubectl.primary(), overlay);
      CACHE.put(overlay, cached);
    }
    return cached;
  }

  static Rendered render(Path kubectl, Path overlay) throws Exception {
    return new Rendered(
        overlay.getFileName().toString(), parse(Kubectl.kustomize(kubectl, overlay)));
  }

  static List<JsonNode> parse(String yaml) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && !doc.isNull() && !doc.isEmpty()) {
          out.add(doc);
        }
      }
    }
    return out;
  }

  List<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
  }

  Optional<JsonNode> find(String kind, String name) {
    return ofKind(kind).stream()
        .filter(o -> o.path("metadata").path("name").asText().equals(name))
        .findFirst();
  }

  JsonNode deployment() {
    List<JsonNode> all = ofKind("Deployment");
    if (all.size() != 1) {
      throw new AssertionError(region + ": expected one Deployment, found " + all.size());
    }
    return all.get(0);
  }

  JsonNode container() {
    return deployment().path("spec").path("template").path("spec").path("containers").get(0);
  }

  /** The node's environment: its ConfigMap's data, then its own env values (which win). */
  Map<String, String> environment() {
    Map<String, String> env = new java.util.TreeMap<>();
    for (JsonNode from : container().path("envFrom")) {
      String name = from.path("configMapRef").path("name").asText();
      JsonNode map =
          find("ConfigMap", name)
              .orElseThrow(() -> new AssertionError(region + ": no ConfigMap " + name));
      map.path("data").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
    }
    for (JsonNode e : container().path("env")) {
      env.put(e.path("name").asText(), e.has("value") ? e.path("value").asText() : "<from>");
    }
    return env;
  }
}
