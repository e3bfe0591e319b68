package org.abtest.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;

import java.util.List;
import java.util.stream.Collectors;
import org.abtest.http.routes.ApiDirectives;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.ExpectedWebSocketRequestRejection;
import org.apache.pekko.http.javadsl.server.InvalidRequiredValueForQueryParamRejection;
import org.apache.pekko.http.javadsl.server.MalformedHeaderRejection;
import org.apache.pekko.http.javadsl.server.MalformedQueryParamRejection;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.MissingHeaderRejection;
import org.apache.pekko.http.javadsl.server.MissingQueryParamRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.RequestEntityExpectedRejection;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.UnsupportedRequestContentTypeRejection;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;

/**
 * Pekko's rejections (no such path, wrong method, unreadable body, missing parameter), answered
 * with the API's error body in our own words, naming the parameter where there is one. Pekko's own
 * texts name its internals; whatever is not listed here keeps its status with a sentence of ours.
 */
final class JsonRejections {

  private JsonRejections() {}

  static RejectionHandler handler() {
    return RejectionHandler.newBuilder()
        .handle(
            MissingQueryParamRejection.class,
            r ->
                answer(
                    400,
                    "missing_parameter",
                    "the query parameter '" + r.parameterName() + "' is required",
                    r.parameterName()))
        .handle(MalformedQueryParamRejection.class, r -> invalidParameter(r.parameterName()))
        .handle(
            InvalidRequiredValueForQueryParamRejection.class,
            r -> invalidParameter(r.parameterName()))
        .handle(
            MissingHeaderRejection.class,
            r ->
                answer(
                    400, "missing_header", "the " + r.headerName() + " header is required", null))
        .handle(
            MalformedHeaderRejection.class,
            r ->
                answer(
                    400,
                    "invalid_header",
                    "the " + r.headerName() + " header has a value this endpoint cannot read",
                    null))
        .handle(
            MalformedRequestContentRejection.class,
            r ->
                r.getCause() instanceof EntityStreamSizeException tooLarge
                    ? complete(tooLarge(tooLarge))
                    : answer(400, "malformed_body", "the request body cannot be read", null))
        .handle(
            RequestEntityExpectedRejection.class,
            r -> answer(400, "missing_body", "this request needs a JSON body", null))
        .handle(
            UnsupportedRequestContentTypeRejection.class,
            r ->
                answer(
                    415,
                    "unsupported_media_type",
                    "this endpoint does not read bodies of that content type",
                    null))
        .handle(
            ExpectedWebSocketRequestRejection.class,
            r ->
                answer(400, "websocket_expected", "this path serves WebSocket upgrades only", null))
        .handleAll(MethodRejection.class, JsonRejections::wrongMethod)
        .handleNotFound(answer(404, "not_found", "there is nothing at this path", null))
        .build()
        .withFallback(RejectionHandler.defaultHandler().mapRejectionResponse(JsonRejections::ours));
  }

  /** The 413 of a body over its route's limit, from a rejection or a failed stream alike. */
  static HttpResponse tooLarge(EntityStreamSizeException e) {
    return tooLarge(e.limit());
  }

  static HttpResponse tooLarge(long limit) {
    return ApiDirectives.error(
        new ApiError(
            413,
            "payload_too_large",
            "the request body is larger than the " + limit + " bytes this endpoint accepts",
            null));
  }

  private static Route invalidParameter(String name) {
    return answer(
        400, "invalid_parameter", "the query parameter '" + name + "' has an invalid value", name);
  }

  private static Route wrongMethod(List<MethodRejection> rejections) {
    String allowed =
        rejections.stream()
            .map(r -> r.supported().name())
            .distinct()
            .collect(Collectors.joining(", "));
    return complete(
        ApiDirectives.error(
                new ApiError(
                    405,
                    "method_not_allowed",
                    "this path does not take that method; it takes " + allowed,
                    null))
            .addHeader(RawHeader.create("Allow", allowed)));
  }

  private static Route answer(int status, String code, String message, String field) {
    return complete(ApiDirectives.error(new ApiError(status, code, message, field)));
  }

  private static HttpResponse ours(HttpResponse response) {
    int status = response.status().intValue();
    HttpResponse json =
        ApiDirectives.error(new ApiError(status, codeFor(status), messageFor(status), null));
    return json.addHeaders(response.getHeaders());
  }

  private static String codeFor(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 406 -> "not_acceptable";
      case 413 -> "payload_too_large";
      case 415 -> "unsupported_media_type";
      case 416 -> "range_not_satisfiable";
      default -> "error";
    };
  }

  private static String messageFor(int status) {
    return switch (status) {
      case 401 -> "a valid bearer credential is required";
      case 403 -> "this credential may not do this";
      case 404 -> "there is nothing at this path";
      case 405 -> "this path does not take that method";
      case 406 -> "this endpoint answers only application/json";
      case 413 -> "the request body is larger than this endpoint accepts";
      case 415 -> "this endpoint does not read bodies of that content type";
      default -> "the request cannot be served as sent";
    };
  }
}
