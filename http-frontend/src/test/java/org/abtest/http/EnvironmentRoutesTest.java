package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.abtest.protocol.experiment.Environments;
import org.junit.jupiter.api.Test;

/** The environment registry's routes, and the experiments and SDK keys that name environments. */
class EnvironmentRoutesTest extends RouteTestSupport {

  private static final String VARIANTS =
      "\"variants\": [{\"key\": \"a\", \"weight\": 5000}, {\"key\": \"b\", \"weight\": 5000}]";

  private static List<String> listed() throws Exception {
    List<String> keys = new ArrayList<>();
    call("GET", "/v1/environments", FakeServices.VIEWER, null)
        .body()
        .get("environments")
        .forEach(e -> keys.add(e.get("key").asText()));
    return keys;
  }

  @Test
  void theDefaultsAreListedAndAnAdminAddsOneOnce() throws Exception {
    assertThat(listed()).startsWith("development", "staging", "production");
    var added = call("POST", "/v1/environments", FakeServices.ADMIN, "{\"key\": \"qa-1\"}");
    assertThat(added.status()).isEqualTo(201);
    assertThat(added.body().get("builtIn").asBoolean()).isFalse();
    assertThat(listed()).contains("qa-1");
    var again = call("POST", "/v1/environments", FakeServices.ADMIN, "{\"key\": \"qa-1\"}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(
            call("POST", "/v1/environments", FakeServices.ADMIN, "{\"key\": \"staging\"}").status())
        .isEqualTo(409);
  }

  @Test
  void onlyAnAdminAddsAndTheKeyIsChecked() throws Exception {
    assertThat(
            call("POST", "/v1/environments", FakeServices.EXPERIMENTER, "{\"key\": \"qa-2\"}")
                .status())
        .isEqualTo(403);
    assertThat(call("POST", "/v1/environments", FakeServices.SDK, "{\"key\": \"qa-2\"}").status())
        .isEqualTo(403);
    var bad = call("POST", "/v1/environments", FakeServices.ADMIN, "{\"key\": \"Q A\"}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().at("/error/field").asText()).isEqualTo("key");
    var unknown =
        call("POST", "/v1/environments", FakeServices.ADMIN, "{\"key\": \"qa-3\", \"x\": 1}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body().at("/error/field").asText()).isEqualTo("x");
    var missing = call("POST", "/v1/environments", FakeServices.ADMIN, "{}");
    assertThat(missing.body().at("/error/code").asText()).isEqualTo("missing_field");
  }

  @Test
  void anSdkKeyNamesARegisteredEnvironment() throws Exception {
    var unknown =
        call("POST", "/v1/sdk-keys", FakeServices.ADMIN, "{\"environment\": \"nowhere\"}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body().at("/error/code").asText()).isEqualTo("unknown_environment");
    assertThat(unknown.body().at("/error/field").asText()).isEqualTo("environment");
    call("POST", "/v1/environments", FakeServices.ADMIN, "{\"key\": \"qa-4\"}");
    assertThat(
            call("POST", "/v1/sdk-keys", FakeServices.ADMIN, "{\"environment\": \"qa-4\"}")
                .status())
        .isEqualTo(201);
  }

  @Test
  void anExperimentsEnvironmentsAreStoredAndAPatchClearsThem() throws Exception {
    var created =
        call(
            "POST",
            "/v1/experiments",
            FakeServices.ADMIN,
            "{\"key\": \"env-1\", "
                + VARIANTS
                + ", \"environments\": {\"staging\": {\"enabled\": true},"
                + " \"production\": {\"enabled\": true, \"coverage\": 100}}}");
    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
    assertThat(created.body().at("/environments/production/coverage").asInt()).isEqualTo(100);
    assertThat(created.body().at("/environments/staging/enabled").asBoolean()).isTrue();
    assertThat(created.body().at("/environments/staging/coverage").isMissingNode()).isTrue();
    var cleared =
        call(
            "PATCH",
            "/v1/experiments/env-1",
            FakeServices.ADMIN,
            "{\"environments\": null}",
            "If-Match",
            "1");
    assertThat(cleared.status()).as(String.valueOf(cleared.body())).isEqualTo(200);
    assertThat(
            cleared.body().path("environments").isMissingNode()
                || cleared.body().get("environments").isNull())
        .isTrue();
  }

  @Test
  void aPatchNamingAnUnregisteredEnvironmentIs400() throws Exception {
    call("POST", "/v1/experiments", FakeServices.ADMIN, "{\"key\": \"env-2\", " + VARIANTS + "}");
    var patched =
        call(
            "PATCH",
            "/v1/experiments/env-2",
            FakeServices.ADMIN,
            "{\"environments\": {\"nowhere\": {\"enabled\": true}}}",
            "If-Match",
            "1");
    assertThat(patched.status()).isEqualTo(400);
    assertThat(patched.body().at("/error/field").asText()).isEqualTo("environments.nowhere");
  }

  @Test
  void moreEnvironmentsThanARegistryHoldsAre400() throws Exception {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i <= Environments.MAX; i++) {
      many.append(i == 0 ? "" : ", ").append("\"e").append(i).append("\": {\"enabled\": true}");
    }
    var reply =
        call(
            "POST",
            "/v1/experiments",
            FakeServices.ADMIN,
            "{\"key\": \"env-3\", " + VARIANTS + ", \"environments\": {" + many + "}}");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("too_many");
    assertThat(reply.body().at("/error/field").asText()).isEqualTo("environments");
  }

  @Test
  void resultsAreEachEnvironmentsOwnAndAnUnregisteredEnvironmentIsRefused() throws Exception {
    call("POST", "/v1/experiments", FakeServices.ADMIN, "{\"key\": \"env-4\", " + VARIANTS + "}");
    var production = call("GET", "/v1/experiments/env-4/results", FakeServices.VIEWER, null);
    assertThat(production.status()).isEqualTo(200);
    assertThat(production.body().get("resultsKey").asText()).isEqualTo("env-4");
    assertThat(
            call(
                    "GET",
                    "/v1/experiments/env-4/results?environment=production",
                    FakeServices.VIEWER,
                    null)
                .body()
                .get("resultsKey")
                .asText())
        .isEqualTo("env-4");
    var staging =
        call("GET", "/v1/experiments/env-4/results?environment=staging", FakeServices.VIEWER, null);
    assertThat(staging.status()).isEqualTo(200);
    assertThat(staging.body().get("experiment").asText()).isEqualTo("env-4");
    assertThat(staging.body().get("resultsKey").asText()).isEqualTo("env-4@staging");
    var nowhere =
        call("GET", "/v1/experiments/env-4/results?environment=nowhere", FakeServices.VIEWER, null);
    assertThat(nowhere.status()).isEqualTo(400);
    assertThat(nowhere.body().at("/error/code").asText()).isEqualTo("unknown_environment");
    assertThat(nowhere.body().at("/error/field").asText()).isEqualTo("environment");
  }
}
