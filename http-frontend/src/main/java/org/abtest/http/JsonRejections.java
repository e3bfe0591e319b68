package org.abtest.http;

import org.abtest.http.routes.ApiDirectives;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.RejectionHandler;

/**
 * Pekko's own rejection answers (no such path, wrong method, unreadable body), rewritten into the
 * API's error body so that clients parse one error shape everywhere.
 */
final class JsonRejections {

  private JsonRejections() {}

  static RejectionHandler handler() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(JsonRejections::asJson);
  }

  private static HttpResponse asJson(HttpResponse response) {
    int status = response.status().intValue();
    String message =
        response.entity() instanceof HttpEntity.Strict strict
            ? strict.getData().utf8String()
            : response.status().reason();
    HttpResponse json = ApiDirectives.error(new ApiError(status, codeFor(status), message, null));
    return json.addHeaders(response.getHeaders());
  }

  private static String codeFor(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "payload_too_large";
      case 415 -> "unsupported_media_type";
      default -> "error";
    };
  }
}
