package org.abtest.node.assignment;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.List;
import org.abtest.http.ports.AssignmentService;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.assignment.Evaluator;
import org.abtest.protocol.manifest.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assigns from the node's manifest snapshot with the pure evaluator. Fails open: no manifest yet,
 * or any error, gives no assignments (everyone gets defaults), never an exception.
 */
public final class LocalAssignmentService implements AssignmentService {

  private static final Logger log = LoggerFactory.getLogger(LocalAssignmentService.class);

  private final ManifestHolder manifests;
  private final ExposureLog exposures;
  private final Clock clock;

  public LocalAssignmentService(ManifestHolder manifests, ExposureLog exposures, Clock clock) {
    this.manifests = manifests;
    this.exposures = exposures;
    this.clock = clock;
  }

  @Override
  public Result assign(String unit, JsonNode attributes, boolean logExposures) {
    Manifest manifest = manifests.current();
    if (manifest == null) {
      return new Result(unit, 0, List.of());
    }
    try {
      List<Assignment> assignments = Evaluator.evaluate(manifest, unit);
      if (logExposures && !assignments.isEmpty()) {
        exposures.log(unit, assignments, clock.instant());
      }
      return new Result(unit, manifest.version(), assignments);
    } catch (RuntimeException e) {
      log.error("assignment failed open for manifest {}", manifest.version(), e);
      return new Result(unit, manifest.version(), List.of());
    }
  }
}
