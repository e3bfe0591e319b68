package org.abtest.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.abtest.http.ports.AssignmentService;
import org.abtest.http.ports.EventLimits;
import org.abtest.http.routes.TestEventLimits;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.assignment.CompiledManifest;
import org.abtest.protocol.assignment.Evaluation;
import org.abtest.protocol.manifest.Manifest;

/**
 * An assignment port over a real compiled manifest, recording the exposures it would log: what the
 * node's service does, without Kafka.
 */
final class ManifestAssignments implements AssignmentService {

  volatile CompiledManifest manifest;
  final List<String> exposures = new CopyOnWriteArrayList<>();

  ManifestAssignments(String manifestJson) {
    replace(manifestJson);
  }

  void replace(String manifestJson) {
    try {
      manifest = CompiledManifest.compile(Json.mapper().readValue(manifestJson, Manifest.class));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public EventLimits limits() {
    return TestEventLimits.STANDARD;
  }

  @Override
  public Result assign(String unit, JsonNode attributes, boolean log) {
    List<Assignment> all = manifest.evaluate(unit, attributes);
    if (log) {
      all.forEach(a -> exposures.add(unit + ":" + a.experiment() + ":" + a.variant()));
    }
    return new Result(unit, manifest.version(), all);
  }

  @Override
  public Explained explain(String unit, JsonNode attributes, List<String> experiments, int max) {
    CompiledManifest m = manifest;
    List<String> keys =
        experiments != null ? experiments : m.liveKeys().stream().sorted().limit(max).toList();
    List<Explanation> out = new ArrayList<>();
    for (String key : keys) {
      Evaluation e = m.explain(key, unit, attributes);
      out.add(new Explanation(key, e));
      if (e.assignment() != null) {
        exposures.add(unit + ":" + key + ":" + e.assignment().variant());
      }
    }
    return new Explained(m.version(), out);
  }
}
