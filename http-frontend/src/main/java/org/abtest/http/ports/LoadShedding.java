package org.abtest.http.ports;

import java.time.Duration;
import java.util.Map;

/**
 * Whether this node refuses new events for now because its memory is nearly full. Read on every
 * {@code POST /v1/events}, so an implementation answers from a field, not by measuring.
 */
public interface LoadShedding {

  boolean sheddingEvents();

  /** What a refused sender is told to wait before trying again. */
  Duration retryAfter();

  /** What {@code GET /health/ready} shows about the pressure (small, JSON-writable values). */
  Map<String, Object> detail();

  /** For wiring without a pressure signal (route tests, tools): never sheds. */
  LoadShedding NEVER =
      new LoadShedding() {
        @Override
        public boolean sheddingEvents() {
          return false;
        }

        @Override
        public Duration retryAfter() {
          return Duration.ZERO;
        }

        @Override
        public Map<String, Object> detail() {
          return Map.of();
        }
      };
}
