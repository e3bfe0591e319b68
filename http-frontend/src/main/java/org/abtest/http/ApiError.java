package org.abtest.http;

import org.abtest.http.ports.PortFailure;

/**
 * A failure the API reports as {@code {"error": {"code", "message", "field"}}} with this status.
 * Routes throw it for what they refuse themselves (a body, a header); services fail their stages
 * with a {@link PortFailure}, which {@link #of} maps here, in the one place that knows both.
 */
public final class ApiError extends RuntimeException {

  private final int status;
  private final String code;
  private final String field;

  public ApiError(int status, String code, String message, String field) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  public static ApiError badRequest(String code, String message, String field) {
    return new ApiError(400, code, message, field);
  }

  public static ApiError notFound(String message) {
    return new ApiError(404, "not_found", message, null);
  }

  public static ApiError conflict(String code, String message) {
    return new ApiError(409, code, message, null);
  }

  public static ApiError unavailable(String message) {
    return new ApiError(503, "unavailable", message, null);
  }

  /** The status and body of a port's failure: the only mapping from domain failures to HTTP. */
  public static ApiError of(PortFailure failure) {
    String message = failure.getMessage();
    if (failure instanceof PortFailure.NotFound) {
      return notFound(message);
    }
    if (failure instanceof PortFailure.Conflict c) {
      return conflict(c.code(), message);
    }
    if (failure instanceof PortFailure.Invalid i) {
      return badRequest(i.code(), message, i.field());
    }
    return unavailable(message); // PortFailure.Unavailable: 503 with Retry-After
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }
}
