package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.abtest.http.ports.WebhookService;
import org.abtest.protocol.experiment.Environments;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The environment and webhook limits {@code docs/openapi.yaml} states are the code's. */
class OpenApiRolloutLimitsTest {

  private static JsonNode document;

  @BeforeAll
  static void load() throws IOException {
    document = OpenApiDocument.load();
  }

  @Test
  void anExperimentNamesAtMostAsManyEnvironmentsAsARegistryHolds() {
    JsonNode environments =
        document.at("/components/schemas/Definition/properties/environments/maxProperties");
    assertThat(environments.asInt()).isEqualTo(Environments.MAX);
  }

  @Test
  void aWebhooksLimitsAndKindsAreTheServices() {
    JsonNode post = document.at("/paths/~1v1~1webhooks/post");
    JsonNode body = post.at("/requestBody/content/application~1json/schema/properties");
    assertThat(body.at("/url/maxLength").asInt()).isEqualTo(WebhookService.MAX_URL_CHARS);
    assertThat(body.at("/secret/maxLength").asInt()).isEqualTo(WebhookService.MAX_SECRET_CHARS);
    List<String> kinds = new ArrayList<>();
    body.at("/events/items/enum").forEach(k -> kinds.add(k.asText()));
    assertThat(kinds).containsExactlyInAnyOrderElementsOf(WebhookService.KINDS);
    assertThat(post.get("summary").asText()).endsWith("at most " + WebhookService.MAX_WEBHOOKS);
  }
}
