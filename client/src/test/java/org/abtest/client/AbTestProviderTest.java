package org.abtest.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The provider over a {@link FakeAbTest}: flag keys and config paths, types, reasons, error codes
 * and metadata, through the OpenFeature SDK as a service calls it. {@link AbTestProviderClientTest}
 * has the outcomes only a real manifest gives.
 */
class AbTestProviderTest {

  private static final MutableContext USER = new MutableContext("user-1").add("country", "US");

  static Client openFeature(AbTest abtest) {
    String domain = "abtest-" + UUID.randomUUID();
    OpenFeatureAPI.getInstance().setProviderAndWait(domain, new AbTestProvider(abtest));
    return OpenFeatureAPI.getInstance().getClient(domain);
  }

  private static Client flag(String variant, Map<String, ?> config) {
    return openFeature(new FakeAbTest().set("banner", variant, config));
  }

  @Test
  void aConfigPathReadsTheVariantsConfigNotItsKey() {
    Client client = flag("on", Map.of("label", "Buy now"));
    FlagEvaluationDetails<String> label = client.getStringDetails("banner/label", "none", USER);
    assertThat(label.getValue()).isEqualTo("Buy now");
    assertThat(label.getVariant()).isEqualTo("on");
    assertThat(label.getErrorCode()).isNull();
  }

  @Test
  void theExperimentKeyAloneAnswersTheVariantKeyForAString() {
    FlagEvaluationDetails<String> variant =
        flag("on", Map.of("label", "Buy now")).getStringDetails("banner", "none", USER);
    assertThat(variant.getValue()).isEqualTo("on");
    assertThat(variant.getVariant()).isEqualTo("on");
  }

  @Test
  void nestedPathsReadNestedConfigFieldsOfEveryType() {
    Client client =
        flag(
            "on",
            Map.of(
                "a",
                Map.of(
                    "b", Map.of("n", 3, "x", 2.5, "s", "deep", "t", true, "list", List.of(1, 2)))));
    assertThat(client.getIntegerValue("banner/a/b/n", 0, USER)).isEqualTo(3);
    assertThat(client.getDoubleValue("banner/a/b/x", 0.0, USER)).isEqualTo(2.5);
    assertThat(client.getDoubleValue("banner/a/b/n", 0.0, USER)).isEqualTo(3.0);
    assertThat(client.getStringValue("banner/a/b/s", "", USER)).isEqualTo("deep");
    assertThat(client.getBooleanValue("banner/a/b/t", false, USER)).isTrue();
    Value b = client.getObjectValue("banner/a/b", new Value(), USER);
    assertThat(b.asStructure().getValue("s").asString()).isEqualTo("deep");
    assertThat(b.asStructure().getValue("n").asInteger()).isEqualTo(3);
    assertThat(client.getObjectValue("banner/a/b/list", new Value(), USER).asList())
        .extracting(Value::asInteger)
        .containsExactly(1, 2);
  }

  @Test
  void anUnknownFlagIsTheDefaultWithFlagNotFound() {
    Client client = flag("on", Map.of("label", "Buy now"));
    for (String key : new String[] {"nope", "nope/label"}) {
      FlagEvaluationDetails<String> details = client.getStringDetails(key, "none", USER);
      assertThat(details.getValue()).isEqualTo("none");
      assertThat(details.getReason()).isEqualTo(Reason.ERROR.name());
      assertThat(details.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
      assertThat(details.getErrorMessage()).contains("nope");
      assertThat(details.getFlagMetadata().getString("outcome")).isEqualTo("not_live");
    }
  }

  @Test
  void anExperimentThatLeftTheManifestIsFlagNotFoundAsAKilledOneIs() {
    FakeAbTest abtest = new FakeAbTest().set("banner", "on", Map.of("label", "Buy now"));
    Client client = openFeature(abtest);
    abtest.remove("banner");
    FlagEvaluationDetails<String> details = client.getStringDetails("banner/label", "none", USER);
    assertThat(details.getValue()).isEqualTo("none");
    assertThat(details.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
    assertThat(details.getErrorMessage()).contains("paused, killed or concluded");
  }

  @Test
  void aConfigValueOfAnotherTypeIsTheDefaultWithATypeMismatchNamingPathAndType() {
    Client client =
        flag("on", Map.of("label", 5, "ratio", 2.5, "text", "x", "big", 10_000_000_000L));
    FlagEvaluationDetails<String> label = client.getStringDetails("banner/label", "none", USER);
    assertThat(label.getValue()).isEqualTo("none");
    assertThat(label.getReason()).isEqualTo(Reason.ERROR.name());
    assertThat(label.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
    assertThat(label.getErrorMessage())
        .isEqualTo("config of variant on in banner has an integer at label, not a string");
    assertThat(client.getIntegerDetails("banner/ratio", 1, USER).getErrorMessage())
        .contains("a decimal number at ratio");
    assertThat(client.getIntegerDetails("banner/big", 1, USER).getErrorMessage())
        .contains("an integer beyond int at big");
    FlagEvaluationDetails<Boolean> text = client.getBooleanDetails("banner/text", false, USER);
    assertThat(text.getValue()).isFalse();
    assertThat(text.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
    assertThat(client.getObjectDetails("banner/text", new Value("d"), USER).getErrorCode())
        .isEqualTo(ErrorCode.TYPE_MISMATCH);
    assertThat(client.getDoubleDetails("banner/text", 1.0, USER).getErrorMessage())
        .contains("a string at text, not a number");
  }

  @Test
  void aPathThroughAValueThatIsNotAnObjectIsATypeMismatchWhereItStops() {
    FlagEvaluationDetails<String> details =
        flag("on", Map.of("a", Map.of("b", "flat"))).getStringDetails("banner/a/b/c", "none", USER);
    assertThat(details.getValue()).isEqualTo("none");
    assertThat(details.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
    assertThat(details.getErrorMessage()).contains("a string at a/b, not an object");
  }

  @Test
  void aPathTheVariantsConfigLacksIsTheDefaultWithReasonDefaultAndNoError() {
    Client client = flag("control", null);
    FlagEvaluationDetails<String> details = client.getStringDetails("banner/label", "none", USER);
    assertThat(details.getValue()).isEqualTo("none");
    assertThat(details.getReason()).isEqualTo(Reason.DEFAULT.name());
    assertThat(details.getErrorCode()).isNull();
    assertThat(details.getVariant()).isNull();
    assertThat(details.getFlagMetadata().getString("variant")).isEqualTo("control");
    Map<String, Object> withNull = new java.util.HashMap<>();
    withNull.put("label", null);
    assertThat(flag("on", withNull).getStringDetails("banner/label", "none", USER).getReason())
        .isEqualTo(Reason.DEFAULT.name());
  }

  @Test
  void aBooleanWithoutPathIsOnForAVariantWithoutValueAndReadsValueOtherwise() {
    assertThat(flag("on", null).getBooleanDetails("banner", false, USER).getValue()).isTrue();
    assertThat(flag("on", Map.of("value", false)).getBooleanValue("banner", true, USER)).isFalse();
    FlagEvaluationDetails<Boolean> wrong =
        flag("on", Map.of("value", "yes")).getBooleanDetails("banner", false, USER);
    assertThat(wrong.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
    assertThat(wrong.getErrorMessage()).contains("a string at value");
  }

  @Test
  void numbersAndObjectsWithoutPathReadTheConfigFieldValue() {
    Client client = flag("on", Map.of("value", 7));
    assertThat(client.getIntegerValue("banner", 0, USER)).isEqualTo(7);
    assertThat(client.getDoubleValue("banner", 0.0, USER)).isEqualTo(7.0);
    Client objects = flag("on", Map.of("value", Map.of("k", "v")));
    assertThat(objects.getObjectValue("banner", new Value(), USER).asStructure().getValue("k"))
        .isEqualTo(new Value("v"));
    FlagEvaluationDetails<Integer> none = flag("on", null).getIntegerDetails("banner", 4, USER);
    assertThat(none.getValue()).isEqualTo(4);
    assertThat(none.getReason()).isEqualTo(Reason.DEFAULT.name());
  }

  @Test
  void aUnitForcedIntoAVariantIsATargetingMatchAndTheSplitForEveryoneIsSplit() {
    FakeAbTest abtest =
        new FakeAbTest()
            .set("banner", "off", null)
            .setFor("user-1", "banner", "on", Map.of("label", "QA"));
    Client client = openFeature(abtest);
    FlagEvaluationDetails<String> forced = client.getStringDetails("banner/label", "-", USER);
    assertThat(forced.getValue()).isEqualTo("QA");
    assertThat(forced.getReason()).isEqualTo(Reason.TARGETING_MATCH.name());
    FlagEvaluationDetails<String> other =
        client.getStringDetails("banner", "-", new MutableContext("user-2"));
    assertThat(other.getValue()).isEqualTo("off");
    assertThat(other.getReason()).isEqualTo(Reason.SPLIT.name());
  }

  @Test
  void aUnitNotInTheExperimentGetsTheDefaultWithReasonDefault() {
    Client client =
        openFeature(new FakeAbTest().setFor("someone-else", "banner", "on", Map.of("value", 1)));
    FlagEvaluationDetails<Integer> details = client.getIntegerDetails("banner", 9, USER);
    assertThat(details.getValue()).isEqualTo(9);
    assertThat(details.getReason()).isEqualTo(Reason.DEFAULT.name());
    assertThat(details.getErrorCode()).isNull();
    assertThat(details.getFlagMetadata().getString("outcome")).isEqualTo("not_targeted");
    assertThat(details.getFlagMetadata().getString("variant")).isNull();
  }

  @Test
  void flagMetadataNamesTheExperimentVariantOutcomeAndConfigPath() {
    FlagEvaluationDetails<String> details =
        flag("on", Map.of("label", "Buy now")).getStringDetails("banner/label", "none", USER);
    assertThat(details.getFlagMetadata().getString("experiment")).isEqualTo("banner");
    assertThat(details.getFlagMetadata().getString("variant")).isEqualTo("on");
    assertThat(details.getFlagMetadata().getString("outcome")).isEqualTo("split");
    assertThat(details.getFlagMetadata().getString("configPath")).isEqualTo("label");
    assertThat(
            flag("on", null)
                .getStringDetails("banner", "none", USER)
                .getFlagMetadata()
                .getString("configPath"))
        .isNull();
  }

  @Test
  void noTargetingKeyOrAnEmptyPathSegmentIsAnError() {
    Client client = flag("on", Map.of("label", "Buy now"));
    FlagEvaluationDetails<String> noUnit =
        client.getStringDetails("banner", "none", new MutableContext().add("country", "US"));
    assertThat(noUnit.getValue()).isEqualTo("none");
    assertThat(noUnit.getErrorCode()).isEqualTo(ErrorCode.TARGETING_KEY_MISSING);
    for (String key : new String[] {"banner/", "banner//label"}) {
      FlagEvaluationDetails<String> bad = client.getStringDetails(key, "none", USER);
      assertThat(bad.getValue()).isEqualTo("none");
      assertThat(bad.getErrorCode()).as(key).isEqualTo(ErrorCode.GENERAL);
    }
  }

  @Test
  void anEvaluationLogsTheExposureOfAUnitThatIsIn() {
    FakeAbTest abtest = new FakeAbTest().set("banner", "control", null);
    openFeature(abtest).getStringValue("banner/label", "none", USER);
    assertThat(abtest.exposures())
        .containsExactly(new FakeAbTest.Exposure("user-1", "banner", "control"));
  }
}
