package org.abtest.http.routes;

import java.time.Duration;
import org.abtest.http.ports.EventLimits;

/** The limits route tests run with; each limit's own test states the value it relies on. */
public final class TestEventLimits {

  public static final EventLimits STANDARD =
      new EventLimits(
          Duration.ofDays(7),
          Duration.ofMinutes(10),
          128,
          256,
          128,
          64,
          8,
          16 * 1024,
          4L * 1024 * 1024,
          1024 * 1024 - 128);

  private TestEventLimits() {}
}
