package org.abtest.analytics.calculator;

/**
 * A request the calculator cannot answer, with the JSON path of the field at fault so that the HTTP
 * layer can report it as a 400 without knowing the engine.
 */
public final class InvalidInput extends IllegalArgumentException {

  private final String code;
  private final String field;

  public InvalidInput(String code, String message, String field) {
    super(message);
    this.code = code;
    this.field = field;
  }

  /** The engine's own validation: its messages start with the field path. */
  static InvalidInput fromEngine(IllegalArgumentException e) {
    String message = e.getMessage() == null ? "invalid request" : e.getMessage();
    int space = message.indexOf(' ');
    String field = space > 0 ? message.substring(0, space) : null;
    return new InvalidInput("invalid_value", message, field);
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }
}
