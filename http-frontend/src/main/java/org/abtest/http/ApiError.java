package org.abtest.http;

/**
 * A failure the API reports as {@code {"error": {"code", "message", "field"}}} with this status.
 * Services fail their stages with it; routes turn it into the response.
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
