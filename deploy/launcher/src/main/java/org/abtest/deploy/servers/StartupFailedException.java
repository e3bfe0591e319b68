package org.abtest.deploy.servers;

/** A server or node did not become ready; the message carries the reason and its log tail. */
public final class StartupFailedException extends RuntimeException {

  public StartupFailedException(String message) {
    super(message);
  }

  public StartupFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
