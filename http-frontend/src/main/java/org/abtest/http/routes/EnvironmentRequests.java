package org.abtest.http.routes;

import static org.abtest.http.routes.JsonFields.BASIS_POINTS;
import static org.abtest.http.routes.JsonFields.bad;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.EnvironmentSetting;
import org.abtest.protocol.experiment.Environments;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.ExperimentPatch;

/**
 * An experiment's {@code environments}: {@code {"production": {"enabled": true, "coverage": 1000},
 * "staging": {"enabled": true}}}, at most {@link Environments#MAX} of them, each a key the registry
 * knows ({@link #registered}, checked where the registry is at hand).
 */
final class EnvironmentRequests {

  private EnvironmentRequests() {}

  /** The shape, in the stored form; every error names its path. */
  static ObjectNode settings(JsonNode value) {
    if (!(value instanceof ObjectNode object)) {
      throw bad(
          "invalid_type",
          "environments must map environment keys to {\"enabled\": true|false}",
          "environments");
    }
    DefinitionBounds.count(value, Environments.MAX, "too_many", "environments", "environments");
    ObjectNode out = Json.mapper().createObjectNode();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      String path = "environments." + e.getKey();
      if (!JsonFields.KEY.matcher(e.getKey()).matches()) {
        throw bad(
            "invalid_key",
            "an environment key is 1-64 characters of a-z, 0-9, '.', '_' or '-'",
            "environments");
      }
      if (!(e.getValue() instanceof ObjectNode setting)) {
        throw bad("invalid_type", path + " must be an object", path);
      }
      JsonFields.rejectUnknown(setting, Set.of("enabled", "coverage"), path + ".");
      if (!JsonFields.present(setting, "enabled")) {
        throw bad("missing_field", path + ".enabled is required", path + ".enabled");
      }
      ObjectNode normalized = out.putObject(e.getKey());
      normalized.put("enabled", JsonFields.bool(setting.get("enabled"), path + ".enabled"));
      if (JsonFields.present(setting, "coverage")) {
        normalized.put(
            "coverage",
            JsonFields.intIn(setting.get("coverage"), 0, BASIS_POINTS, path + ".coverage"));
      }
    }
    return out;
  }

  /** As below, for the settings a PATCH gives (none when it leaves them alone or clears them). */
  @SuppressWarnings("unchecked")
  static void registered(ExperimentPatch patch, Set<String> known) {
    JsonNode value = patch.valueOf(ExperimentField.ENVIRONMENTS);
    if (value != null) {
      registered(
          (Map<String, EnvironmentSetting>) ExperimentField.ENVIRONMENTS.decode(value), known);
    }
  }

  /**
   * @throws org.abtest.http.ApiError 400 {@code unknown_environment} naming the first environment
   *     the registry does not know
   */
  static void registered(Map<String, EnvironmentSetting> settings, Set<String> known) {
    if (settings == null) {
      return;
    }
    for (String key : settings.keySet()) {
      registered(key, known, "environments." + key);
    }
  }

  /**
   * @throws org.abtest.http.ApiError 400 {@code unknown_environment} naming {@code field} when the
   *     registry does not know {@code environment}
   */
  static String registered(String environment, Set<String> known, String field) {
    if (!known.contains(environment)) {
      throw bad(
          "unknown_environment",
          "there is no environment '" + environment + "' (GET /v1/environments lists them)",
          field);
    }
    return environment;
  }
}
