package org.abtest.protocol.targeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the {@code evalCondition} section of GrowthBook's cross-SDK suite (specVersion 5) against
 * the lenient compiler, and checks that the strict compiler either agrees or rejects the condition.
 * The suite lives outside the repository, in {@code ../shared/conformance/} next to the project
 * root (or wherever the system property {@code abtest.shared} points). A shared directory without
 * the file fails the run; only a clone with no shared directory at all (outside the workspace)
 * skips, as {@code shared/conformance/README.md} asks, and there the per-operator tests still stand
 * on their own.
 */
class GrowthbookConformanceTest {

  private static final String FILE = "conformance/growthbook-cases.json";
  private static final int EXPECTED_CASES = 248;

  record Case(
      String name, JsonNode condition, JsonNode attributes, boolean expected, JsonNode groups) {

    static Case of(JsonNode row) {
      return new Case(
          row.get(0).asText(), row.get(1), row.get(2), row.get(3).asBoolean(), row.get(4));
    }

    SavedGroups savedGroups() {
      return SavedGroups.of(groups);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyEvalConditionCaseMatchesGrowthbook() throws IOException {
    List<Case> cases = loadCases();
    assertThat(cases).hasSize(EXPECTED_CASES);
    return cases.stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.name(),
                    () -> {
                      Condition condition =
                          Conditions.compileLenient(c.condition(), c.savedGroups());
                      assertThat(condition.matches(c.attributes()))
                          .as("%s on %s", c.condition(), c.attributes())
                          .isEqualTo(c.expected());
                    }));
  }

  @Test
  void strictModeAgreesWithGrowthbookOrRejectsTheCondition() throws IOException {
    List<String> rejected = new ArrayList<>();
    for (Case c : loadCases()) {
      Condition condition;
      try {
        condition = Conditions.compile(c.condition(), c.savedGroups());
      } catch (ConditionException e) {
        rejected.add(c.name() + " -> " + e.field());
        continue;
      }
      assertThat(condition.matches(c.attributes())).as(c.name()).isEqualTo(c.expected());
    }
    assertThat(rejected)
        .containsExactlyInAnyOrder(
            "$in - not array -> targeting.num.$in",
            "$nin - not array -> targeting.num.$nin",
            "$ini - not array -> targeting.num.$ini",
            "$nini - not array -> targeting.num.$nini",
            "unknown operator - pass -> targeting.name.$regx",
            "$regex invalid - pass -> targeting.name.$regex",
            "$regex invalid - fail -> targeting.name.$regex",
            "$inGroup fails for unknown group id -> targeting.id.$inGroup",
            "$notInGroup passes for unknown group id -> targeting.id.$notInGroup");
  }

  private static List<Case> loadCases() throws IOException {
    Path file = sharedDir().resolve(FILE);
    String missing =
        "GrowthBook conformance cases not found at "
            + file.toAbsolutePath()
            + "; set -Dabtest.shared=<dir holding conformance/> to run them";
    if (Files.isDirectory(sharedDir())) {
      assertThat(file).as(missing).isRegularFile();
    }
    assumeTrue(Files.isRegularFile(file), missing);
    JsonNode rows = new ObjectMapper().readTree(file.toFile()).get("evalCondition");
    List<Case> cases = new ArrayList<>();
    rows.forEach(row -> cases.add(Case.of(row)));
    return cases;
  }

  // -Dabtest.shared wins; else ../shared next to the root holding deploy/ and protocol/.
  private static Path sharedDir() {
    String property = System.getProperty("abtest.shared");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve("deploy")) && Files.isDirectory(dir.resolve("protocol"))) {
        return dir.resolveSibling("shared");
      }
      dir = dir.getParent();
    }
    return Path.of("shared-not-found");
  }
}
