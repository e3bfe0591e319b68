package org.abtest.http.routes;

import java.util.Optional;
import org.abtest.http.ApiError;
import org.abtest.http.ports.Role;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.ExperimentPatch;
import org.abtest.protocol.experiment.ExperimentStatus;

/**
 * Which changes of a started experiment only an admin may make. Concluding is an admin's decision
 * (API.md), so moving the end of a running experiment is one too; the holdout is the admin's ("PUT
 * /v1/holdout"), so letting a running experiment into it is one too; and the guardrails are a
 * running experiment's automatic kill switch, which an experimenter may not weaken. A draft is
 * still the experimenter's to shape.
 */
final class PatchAuthority {

  private PatchAuthority() {}

  /** The first field of {@code changes} that needs an admin, or empty when this role may patch. */
  static Optional<String> adminField(ExperimentPatch changes, ExperimentStatus status, Role role) {
    if (role.isAdmin()
        || (status != ExperimentStatus.RUNNING && status != ExperimentStatus.PAUSED)) {
      return Optional.empty();
    }
    return changes.fields().stream()
        .filter(ExperimentField::adminOnceStarted)
        .map(ExperimentField::jsonName)
        .findFirst();
  }

  static ApiError forbidden(String field, ExperimentStatus status) {
    return new ApiError(
        403,
        "admin_only",
        "only an admin may change " + field + " of an experiment that is " + status,
        field);
  }

  /** Whether changing these fields depends on the experiment's status at all. */
  static boolean mayNeedAdmin(ExperimentPatch changes, Role role) {
    return !role.isAdmin() && changes.fields().stream().anyMatch(ExperimentField::adminOnceStarted);
  }
}
