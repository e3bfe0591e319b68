package org.abtest.http.ports;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.abtest.protocol.assignment.Assignment;

/**
 * Assigns from the node's in-memory manifest, synchronously: the request path never waits on an
 * actor. Implementations never throw; on any internal problem they answer with no assignments.
 */
public interface AssignmentService {

  record Result(String unit, long manifestVersion, List<Assignment> assignments) {}

  Result assign(String unit, JsonNode attributes, boolean logExposures);
}
