package org.abtest.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Reason;
import java.time.Duration;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.CompiledManifest;
import org.junit.jupiter.api.Test;

class AbTestProviderTest {

  @Test
  void openFeatureFlagsResolveToVariantsAndConfigValues() throws Exception {
    try (StubServer stub = new StubServer()) {
      stub.manifest.set(AbTestClientTest.manifest(1, 10_000));
      AbTestClient abtest =
          AbTestClient.builder(stub.uri(), StubServer.KEY).logExposures(false).build();
      assertThat(abtest.awaitManifest(Duration.ofSeconds(5))).isTrue();
      OpenFeatureAPI api = OpenFeatureAPI.getInstance();
      api.setProviderAndWait("abtest-test", new AbTestProvider(abtest));
      Client client = api.getClient("abtest-test");

      CompiledManifest reference = CompiledManifest.compile(AbTestClientTest.manifest(1, 10_000));
      String green = null;
      String control = null;
      for (int i = 0; i < 100 && (green == null || control == null); i++) {
        String v =
            reference
                .evaluate("u" + i, Json.mapper().createObjectNode().put("country", "US"))
                .get(0)
                .variant();
        if (v.equals("green")) {
          green = "u" + i;
        } else {
          control = "u" + i;
        }
      }

      MutableContext us = new MutableContext(green).add("country", "US");
      FlagEvaluationDetails<String> variant = client.getStringDetails("checkout", "none", us);
      assertThat(variant.getValue()).isEqualTo("green");
      assertThat(variant.getReason()).isEqualTo(Reason.TARGETING_MATCH.name());
      assertThat(client.getBooleanValue("checkout", false, us)).isTrue();

      MutableContext controlUs = new MutableContext(control).add("country", "US");
      FlagEvaluationDetails<Integer> wrongType = client.getIntegerDetails("checkout", 5, controlUs);
      assertThat(wrongType.getValue()).isEqualTo(5);
      assertThat(wrongType.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);

      FlagEvaluationDetails<String> notTargeted =
          client.getStringDetails(
              "checkout", "none", new MutableContext(green).add("country", "FR"));
      assertThat(notTargeted.getValue()).isEqualTo("none");
      assertThat(notTargeted.getReason()).isEqualTo(Reason.DEFAULT.name());

      FlagEvaluationDetails<String> noUnit =
          client.getStringDetails("checkout", "none", new MutableContext().add("country", "US"));
      assertThat(noUnit.getErrorCode()).isEqualTo(ErrorCode.TARGETING_KEY_MISSING);
      api.shutdown();
    }
  }
}
