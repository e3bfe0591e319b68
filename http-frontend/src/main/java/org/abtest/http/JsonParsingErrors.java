package org.abtest.http;

import org.abtest.http.routes.ApiDirectives;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ParserSettings;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Answers requests that pekko-http's parser refuses before any route sees them (an illegal
 * character in the URI, an oversized URI or header, a duplicate Content-Length, bytes that are not
 * HTTP). Named by {@code pekko.http.server.parsing.error-handler}; pekko creates it by reflection.
 *
 * <p>The answer is the API's error body in our own words: the parser's text quotes the raw input
 * back and names its internals, neither of which a client should see. The parser's detail goes to
 * the debug log only.
 */
public final class JsonParsingErrors extends ParsingErrorHandler {

  @Override
  public HttpResponse handle(
      StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    if (log.isDebugEnabled()) {
      log.debug("refused an unparsable request ({}): {}", status.intValue(), info.summary());
    }
    return ApiDirectives.error(
        refusal(status.intValue(), info.summary(), settings.parserSettings()));
  }

  static ApiError refusal(int status, String summary, ParserSettings limits) {
    return switch (status) {
      case 400 -> new ApiError(400, badRequestCode(summary), badRequestMessage(summary), null);
      case 413 ->
          new ApiError(
              413,
              "payload_too_large",
              "the request body is larger than this server accepts",
              null);
      case 414 ->
          new ApiError(
              414,
              "uri_too_long",
              "the request URI is longer than " + limits.maxUriLength() + " bytes",
              null);
      case 431 ->
          new ApiError(
              431,
              "headers_too_large",
              "the request has a header longer than "
                  + limits.maxHeaderValueLength()
                  + " bytes or more than "
                  + limits.maxHeaderCount()
                  + " headers",
              null);
      case 501 ->
          new ApiError(
              501, "not_implemented", "this server does not implement the request's method", null);
      case 505 ->
          new ApiError(
              505, "http_version_not_supported", "this server speaks HTTP/1.0 and HTTP/1.1", null);
      default ->
          new ApiError(status, "malformed_request", "the request cannot be understood", null);
    };
  }

  // The parser's summary only selects which of our sentences fits; it is never shown.
  private static String badRequestCode(String summary) {
    String s = summary == null ? "" : summary;
    if (s.contains("Content-Length")) {
      return "invalid_content_length";
    }
    if (s.contains("request-target") || s.contains("URI")) {
      return "invalid_uri";
    }
    return "malformed_request";
  }

  private static String badRequestMessage(String summary) {
    return switch (badRequestCode(summary)) {
      case "invalid_content_length" ->
          "the request's Content-Length is missing, repeated or invalid";
      case "invalid_uri" ->
          "the request URI is not valid; characters such as { } | and spaces must be percent-encoded";
      default -> "the request is not well-formed HTTP";
    };
  }
}
