package org.abtest.http.ports;

/**
 * Why a port could not do what was asked, in the domain's words. Ports and their adapters fail
 * their stages with one of these; only the HTTP edge ({@code ApiError.of}) turns a case into a
 * status code and an error body, so no adapter knows about HTTP.
 *
 * <p>A {@code code} is the stable, machine-readable name of the rule that refused ({@code
 * duplicate_key}, {@code stale_version}); the message is for people.
 */
public abstract sealed class PortFailure extends RuntimeException {

  private PortFailure(String message) {
    super(message, null, false, false);
  }

  public static NotFound notFound(String message) {
    return new NotFound(message);
  }

  public static Conflict conflict(String code, String message) {
    return new Conflict(code, message);
  }

  public static Invalid invalid(String code, String message, String field) {
    return new Invalid(code, message, field);
  }

  public static Unavailable unavailable(String message) {
    return new Unavailable(message);
  }

  /** Nothing with that key or id exists (or it is no longer active). */
  public static final class NotFound extends PortFailure {
    private NotFound(String message) {
      super(message);
    }
  }

  /**
   * The request is well formed but at odds with the current state: a duplicate, a stale version.
   */
  public static final class Conflict extends PortFailure {
    private final String code;

    private Conflict(String code, String message) {
      super(message);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /** The input breaks a rule of the domain; {@code field} names it when one field is to blame. */
  public static final class Invalid extends PortFailure {
    private final String code;
    private final String field;

    private Invalid(String code, String message, String field) {
      super(message);
      this.code = code;
      this.field = field;
    }

    public String code() {
      return code;
    }

    /** The offending input, or null when the input as a whole is refused. */
    public String field() {
      return field;
    }
  }

  /** A dependency cannot take the work now (busy, out of time, not acknowledging): retry later. */
  public static final class Unavailable extends PortFailure {
    private Unavailable(String message) {
      super(message);
    }
  }
}
