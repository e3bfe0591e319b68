package org.abtest.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.Reason;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.CompiledManifest;
import org.abtest.protocol.assignment.Evaluation.Outcome;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Holdout;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.junit.jupiter.api.Test;

/** The provider over the real client: reasons from what the manifest decides. */
class AbTestProviderClientTest {

  private static final JsonNode US = Json.mapper().createObjectNode().put("country", "US");

  private static ManifestExperiment experiment(String key, JsonNode targeting, boolean holdout) {
    return new ManifestExperiment(
        key,
        ExperimentType.FLAG,
        1,
        "salt-" + key,
        null,
        null,
        holdout,
        targeting,
        5000,
        List.of(new Variant("on", 10_000, Json.mapper().createObjectNode().put("label", "Hi"))),
        Map.of(),
        List.of(),
        null,
        null);
  }

  /** A condition the client cannot compile, so it leaves the experiment out. */
  private static JsonNode bogusCondition() {
    ObjectNode c = Json.mapper().createObjectNode();
    c.putObject("a").put("$bogus", 1);
    return c;
  }

  /** A targeted and an untargeted flag at half coverage, a holdout, and one that cannot compile. */
  private static final Manifest MANIFEST =
      new Manifest(
          5,
          List.of(
              experiment("targeted", US, false),
              experiment("plain", null, true),
              experiment("broken", bogusCondition(), false)),
          Map.of(),
          new Holdout("holdout-salt", new SlotRange(0, 2000)));

  private static final CompiledManifest REFERENCE = CompiledManifest.compile(MANIFEST);

  /** A unit whose evaluation of the experiment has this outcome. */
  private static String unitWith(String experiment, Outcome outcome) {
    for (int i = 0; i < 10_000; i++) {
      if (REFERENCE.explain(experiment, "u" + i, US).outcome() == outcome) {
        return "u" + i;
      }
    }
    throw new AssertionError("no unit with " + outcome + " in " + experiment);
  }

  private static MutableContext us(String unit) {
    return new MutableContext(unit).add("country", "US");
  }

  @Test
  void reasonsFollowWhatTheManifestDecides() throws Exception {
    try (StubServer stub = new StubServer()) {
      stub.manifest.set(MANIFEST);
      AbTestClient abtest =
          AbTestClient.builder(stub.uri(), StubServer.KEY).logExposures(false).build();
      assertThat(abtest.awaitManifest(Duration.ofSeconds(5))).isTrue();
      Client client = AbTestProviderTest.openFeature(abtest);

      FlagEvaluationDetails<String> targeted =
          client.getStringDetails(
              "targeted/label", "-", us(unitWith("targeted", Outcome.TARGETED)));
      assertThat(targeted.getValue()).isEqualTo("Hi");
      assertThat(targeted.getReason()).isEqualTo(Reason.TARGETING_MATCH.name());

      FlagEvaluationDetails<String> split =
          client.getStringDetails("plain/label", "-", us(unitWith("plain", Outcome.SPLIT)));
      assertThat(split.getValue()).isEqualTo("Hi");
      assertThat(split.getReason()).isEqualTo(Reason.SPLIT.name());

      for (Map.Entry<String, Outcome> out :
          Map.of(
                  "plain", Outcome.HOLDOUT,
                  "targeted", Outcome.COVERAGE)
              .entrySet()) {
        FlagEvaluationDetails<String> details =
            client.getStringDetails(
                out.getKey() + "/label", "-", us(unitWith(out.getKey(), out.getValue())));
        assertThat(details.getValue()).isEqualTo("-");
        assertThat(details.getReason()).as(out.toString()).isEqualTo(Reason.DEFAULT.name());
        assertThat(details.getFlagMetadata().getString("outcome"))
            .isEqualTo(out.getValue().name().toLowerCase());
      }

      FlagEvaluationDetails<String> notTargeted =
          client.getStringDetails(
              "targeted/label", "-", new MutableContext("u1").add("country", "FR"));
      assertThat(notTargeted.getReason()).isEqualTo(Reason.DEFAULT.name());
      assertThat(notTargeted.getFlagMetadata().getString("outcome")).isEqualTo("not_targeted");

      FlagEvaluationDetails<String> broken = client.getStringDetails("broken", "-", us("u1"));
      assertThat(broken.getValue()).isEqualTo("-");
      assertThat(broken.getErrorCode()).isEqualTo(ErrorCode.PARSE_ERROR);

      FlagEvaluationDetails<String> unknown = client.getStringDetails("unknown", "-", us("u1"));
      assertThat(unknown.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
      abtest.close();
    }
  }

  @Test
  void theExistingCheckoutExperimentAnswersVariantKeysAndConfigValues() throws Exception {
    try (StubServer stub = new StubServer()) {
      stub.manifest.set(AbTestClientTest.manifest(1, 10_000));
      AbTestClient abtest =
          AbTestClient.builder(stub.uri(), StubServer.KEY).logExposures(false).build();
      assertThat(abtest.awaitManifest(Duration.ofSeconds(5))).isTrue();
      Client client = AbTestProviderTest.openFeature(abtest);
      CompiledManifest reference = CompiledManifest.compile(AbTestClientTest.manifest(1, 10_000));
      String green = null;
      String control = null;
      for (int i = 0; i < 100 && (green == null || control == null); i++) {
        String v = reference.explain("checkout", "u" + i, US).assignment().variant();
        if (v.equals("green")) {
          green = "u" + i;
        } else {
          control = "u" + i;
        }
      }
      FlagEvaluationDetails<String> variant =
          client.getStringDetails("checkout", "none", us(green));
      assertThat(variant.getValue()).isEqualTo("green");
      assertThat(variant.getReason()).isEqualTo(Reason.TARGETING_MATCH.name());
      assertThat(client.getBooleanValue("checkout", false, us(green))).isTrue();
      // green's value is a boolean, control has no config: the default applies to it
      assertThat(client.getIntegerDetails("checkout", 5, us(green)).getErrorCode())
          .isEqualTo(ErrorCode.TYPE_MISMATCH);
      FlagEvaluationDetails<Integer> controlValue =
          client.getIntegerDetails("checkout", 5, us(control));
      assertThat(controlValue.getValue()).isEqualTo(5);
      assertThat(controlValue.getReason()).isEqualTo(Reason.DEFAULT.name());
      abtest.close();
    }
  }

  @Test
  void beforeTheFirstManifestEveryEvaluationIsProviderNotReady() {
    try (AbTestClient abtest =
        AbTestClient.builder(URI.create("http://127.0.0.1:9"), "k")
            .requestTimeout(Duration.ofMillis(200))
            .build()) {
      Client client = AbTestProviderTest.openFeature(abtest);
      FlagEvaluationDetails<String> details = client.getStringDetails("checkout", "none", us("u1"));
      assertThat(details.getValue()).isEqualTo("none");
      assertThat(details.getReason()).isEqualTo(Reason.ERROR.name());
      assertThat(details.getErrorCode()).isEqualTo(ErrorCode.PROVIDER_NOT_READY);
    }
  }
}
