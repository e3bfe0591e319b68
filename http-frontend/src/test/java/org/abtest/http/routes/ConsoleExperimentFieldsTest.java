package org.abtest.http.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.BooleanNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.abtest.http.ports.Role;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Bucketing;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.ExperimentPatch;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.Lifecycle;
import org.abtest.protocol.experiment.MetricKind;
import org.junit.jupiter.api.Test;

/**
 * The console's copies of the experiment schema ({@code form.js}, {@code dom.js}) and of the
 * lifecycle ({@code detail.js}) say what the server says.
 */
class ConsoleExperimentFieldsTest {

  /**
   * Patchable fields the console's form does not edit, so never sends in a PATCH, and why. A field
   * added to the model fails {@link #everyPatchableFieldIsEditedOrKnowinglyLeftOut} until the form
   * edits it or this map says why not.
   */
  private static final Map<ExperimentField, String> NOT_EDITED = Map.of();

  @Test
  void theFormEditsOnlyPatchableFields() throws IOException {
    assertThat(mutable())
        .allSatisfy(
            name ->
                assertThat(ExperimentField.fromJson(name))
                    .as(name)
                    .isNotNull()
                    .matches(ExperimentField::patchable, "patchable"));
  }

  @Test
  void everyPatchableFieldIsEditedOrKnowinglyLeftOut() throws IOException {
    List<String> mutable = mutable();
    List<ExperimentField> notInForm =
        ExperimentField.all().stream()
            .filter(ExperimentField::patchable)
            .filter(f -> !mutable.contains(f.jsonName()))
            .toList();
    assertThat(notInForm).containsExactlyInAnyOrderElementsOf(NOT_EDITED.keySet());
  }

  @Test
  void theFormLocksForAnExperimenterExactlyTheFieldsAndStatusesTheApiRefusesThem()
      throws IOException {
    List<ExperimentField> adminOnly =
        ExperimentField.all().stream().filter(ExperimentField::adminOnceStarted).toList();
    assertThat(strings("ADMIN_ONCE_STARTED"))
        .containsExactlyInAnyOrderElementsOf(
            adminOnly.stream().map(ExperimentField::jsonName).toList());
    // PatchAuthority looks at which fields change, not at their values
    ExperimentPatch changes =
        new ExperimentPatch(
            adminOnly.stream().map(f -> new ExperimentPatch.Change(f, BooleanNode.TRUE)).toList());
    assertThat(strings("STARTED"))
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(ExperimentStatus.values())
                .filter(s -> PatchAuthority.adminField(changes, s, Role.EXPERIMENTER).isPresent())
                .map(ExperimentStatus::name)
                .toList());
    for (ExperimentStatus status : ExperimentStatus.values()) {
      assertThat(PatchAuthority.adminField(changes, status, Role.ADMIN)).as("admin").isEmpty();
    }
  }

  @Test
  void theTypeAndMetricKindChoicesAreTheApis() throws IOException {
    assertThat(strings("TYPES")).containsExactlyElementsOf(jsonNames(ExperimentType.values()));
    assertThat(strings("METRIC_KINDS")).containsExactlyElementsOf(jsonNames(MetricKind.values()));
    assertThat(formJs())
        .contains("TYPES.map((t) => h('option'")
        .contains("METRIC_KINDS.map((k) => h('option'");
  }

  @Test
  void theKeyInputAcceptsWhatTheApiAccepts() throws IOException {
    Matcher constant =
        Pattern.compile("const KEY_PATTERN = String\\.raw`([^`]*)`;").matcher(formJs());
    assertThat(constant.find()).as("KEY_PATTERN in form.js").isTrue();
    assertThat(constant.group(1)).isEqualTo(JsonFields.KEY.pattern());
    assertThat(formJs()).contains("pattern: KEY_PATTERN");
  }

  @Test
  void theConsoleCountsBasisPointsAsTheServerDoesAndInOnePlace() throws IOException {
    Matcher constant = Pattern.compile("export const BUCKETS = (\\d+);").matcher(asset("dom.js"));
    assertThat(constant.find()).as("BUCKETS in dom.js").isTrue();
    assertThat(Integer.parseInt(constant.group(1))).isEqualTo(Bucketing.BUCKETS);
    for (String file : List.of("form.js", "detail.js", "list.js", "results.js")) {
      assertThat(asset(file)).as(file).contains("BUCKETS").doesNotContain("/ 10000");
    }
  }

  @Test
  void theConsoleOffersEachActionFromTheStatusesAndToTheRolesTheApiAllows() throws IOException {
    Matcher row =
        Pattern.compile("\\{ action: '([a-z]+)', from: \\[([^\\]]*)\\], allowed: can\\.([a-zA-Z]+)")
            .matcher(asset("detail.js"));
    Map<Lifecycle, Set<ExperimentStatus>> from = new EnumMap<>(Lifecycle.class);
    Map<Lifecycle, Boolean> adminOnly = new EnumMap<>(Lifecycle.class);
    while (row.find()) {
      Lifecycle action = Lifecycle.valueOf(row.group(1).toUpperCase(Locale.ROOT));
      from.put(
          action,
          Pattern.compile("'([A-Z]+)'")
              .matcher(row.group(2))
              .results()
              .map(m -> ExperimentStatus.valueOf(m.group(1)))
              .collect(Collectors.toSet()));
      adminOnly.put(action, row.group(3).equals("adminOnly"));
    }
    assertThat(from.keySet())
        .as("actions in detail.js")
        .containsExactlyInAnyOrder(Lifecycle.values());
    for (Lifecycle action : Lifecycle.values()) {
      assertThat(from.get(action))
          .as("statuses %s is offered from", action)
          .containsExactlyInAnyOrderElementsOf(
              Arrays.stream(ExperimentStatus.values()).filter(action::allowedFrom).toList());
      assertThat(adminOnly.get(action)).as("%s admin only", action).isEqualTo(action.adminOnly());
    }
    // Lifecycle.allowedOn: a concluded experiment is killed only when it ships a variant
    assertThat(asset("detail.js"))
        .contains("when: (e) => e.status !== 'CONCLUDED' || Boolean(e.shipped)");
  }

  /** The names in form.js's {@code MUTABLE} array. */
  private static List<String> mutable() throws IOException {
    return strings("MUTABLE");
  }

  /** The strings of the array constant {@code name} in form.js. */
  private static List<String> strings(String name) throws IOException {
    Matcher array = Pattern.compile("const " + name + " = \\[([^\\]]*)\\];").matcher(formJs());
    assertThat(array.find()).as(name + " in form.js").isTrue();
    List<String> names =
        Pattern.compile("'([^']*)'")
            .matcher(array.group(1))
            .results()
            .map(m -> m.group(1))
            .toList();
    assertThat(names).isNotEmpty();
    return names;
  }

  /** How the API spells each constant (its Jackson name). */
  private static List<String> jsonNames(Enum<?>[] values) {
    return Arrays.stream(values).map(v -> Json.mapper().convertValue(v, String.class)).toList();
  }

  private static String formJs() throws IOException {
    return asset("form.js");
  }

  private static String asset(String file) throws IOException {
    String path = ConsoleRoutes.ASSETS + "/js/" + file;
    try (InputStream in =
        ConsoleExperimentFieldsTest.class.getClassLoader().getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
