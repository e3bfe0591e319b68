package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletionException;
import org.abtest.http.ports.PortFailure;
import org.abtest.http.routes.ApiDirectives;
import org.abtest.protocol.Json;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.Test;

/** The one mapping from a port's failure to the status, code, field and headers of the reply. */
class PortFailureStatusTest {

  @Test
  void eachCaseHasTheStatusAndCodeOfTheApi() {
    assertError(ApiError.of(PortFailure.notFound("no x")), 404, "not_found", "no x", null);
    assertError(
        ApiError.of(PortFailure.conflict("stale_version", "old")),
        409,
        "stale_version",
        "old",
        null);
    assertError(
        ApiError.of(PortFailure.invalid("unknown_layer", "no layer", "layer")),
        400,
        "unknown_layer",
        "no layer",
        "layer");
    assertError(ApiError.of(PortFailure.invalid("bad", "whole", null)), 400, "bad", "whole", null);
    assertError(ApiError.of(PortFailure.unavailable("busy")), 503, "unavailable", "busy", null);
  }

  @Test
  void aFailedStageBecomesTheErrorBodyAndAnUnavailableOneSaysWhenToRetry() throws Exception {
    HttpResponse busy = ApiDirectives.error(new CompletionException(PortFailure.unavailable("b")));
    assertThat(busy.status().intValue()).isEqualTo(503);
    assertThat(busy.getHeader("Retry-After").map(HttpHeader::value)).hasValue("5");
    assertThat(body(busy).at("/error/code").asText()).isEqualTo("unavailable");

    HttpResponse invalid = ApiDirectives.error(PortFailure.invalid("invalid_value", "m", "kind"));
    assertThat(invalid.status().intValue()).isEqualTo(400);
    assertThat(invalid.getHeader("Retry-After")).isEmpty();
    assertThat(body(invalid).at("/error/field").asText()).isEqualTo("kind");
    assertThat(body(invalid).at("/error/message").asText()).isEqualTo("m");
  }

  private static void assertError(
      ApiError error, int status, String code, String message, String field) {
    assertThat(error.status()).isEqualTo(status);
    assertThat(error.code()).isEqualTo(code);
    assertThat(error.getMessage()).isEqualTo(message);
    assertThat(error.field()).isEqualTo(field);
  }

  private static JsonNode body(HttpResponse response) throws Exception {
    return Json.mapper().readTree(((HttpEntity.Strict) response.entity()).getData().toArray());
  }
}
