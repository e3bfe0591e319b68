package org.abtest.protocol.assignment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An OpenFeature flag key, one rule for every reader (the Java client's OpenFeature provider and
 * the node's OFREP endpoints, API.md): {@code experiment} alone, or {@code experiment/path} where
 * the path names a value in the variant's config, {@code a/b/c} being {@code config.a.b.c}.
 * Experiment keys never hold a slash, so the first one ends the key; config fields whose names hold
 * one cannot be addressed.
 *
 * @param path empty for the experiment alone
 */
public record FlagKey(String experiment, List<String> path) {

  /**
   * The key split at its slashes; null when a path segment is empty ({@code "exp/"}, {@code a//b}).
   */
  public static FlagKey parse(String key) {
    String[] parts = key.split("/", -1);
    for (int i = 1; i < parts.length; i++) {
      if (parts[i].isEmpty()) {
        return null;
      }
    }
    return new FlagKey(parts[0], List.of(parts).subList(1, parts.length));
  }

  public String pathText() {
    return String.join("/", path);
  }

  /**
   * The flag metadata of an evaluation of this key, as every OpenFeature answer of ours carries it:
   * {@code experiment}, {@code outcome} (the check that decided, lower case), {@code variant} when
   * the unit is in, {@code configPath} with a path.
   */
  public Map<String, String> metadata(Evaluation e) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("experiment", experiment);
    m.put("outcome", e.outcome().name().toLowerCase(Locale.ROOT));
    if (e.assignment() != null) {
      m.put("variant", e.assignment().variant());
    }
    if (!path.isEmpty()) {
      m.put("configPath", pathText());
    }
    return m;
  }

  /** Where the path leads in a config: a value, nothing, or a non-object on the way. */
  public sealed interface Lookup {}

  /** The value at the path (never JSON null). */
  public record Found(JsonNode value) implements Lookup {}

  /** The config has nothing (or JSON null) at the path. */
  public record Missing() implements Lookup {}

  /** The path runs through a value that is not an object, at {@code at}. */
  public record Blocked(String at, JsonNode value) implements Lookup {}

  /** Follows {@code path} (non-empty) through a variant's config, which may be null. */
  public Lookup lookup(JsonNode config) {
    JsonNode node = config;
    for (int i = 0; i < path.size(); i++) {
      if (node == null || node.isNull() || node.isMissingNode()) {
        return new Missing();
      }
      if (!node.isObject()) {
        return new Blocked(
            i == 0 ? "(the config itself)" : String.join("/", path.subList(0, i)), node);
      }
      node = node.get(path.get(i));
    }
    return node == null || node.isNull() ? new Missing() : new Found(node);
  }
}
