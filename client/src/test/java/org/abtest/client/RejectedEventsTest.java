package org.abtest.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The events a 202 lists in {@code rejected} (API.md, Events): failed, counted, logged once. */
class RejectedEventsTest {

  private final Logger senderLog = Logger.getLogger(EventSender.class.getName());
  private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(r);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void listen() {
    senderLog.addHandler(capture);
  }

  @AfterEach
  void stopListening() {
    senderLog.removeHandler(capture);
  }

  /** A 202 body rejecting the events at these indices, each with its own error code. */
  private static JsonNode rejecting(int accepted, String[] codes, int... indices) {
    ObjectNode body = Json.mapper().createObjectNode().put("accepted", accepted);
    ArrayNode rejected = body.putArray("rejected");
    for (int i = 0; i < indices.length; i++) {
      ObjectNode item = rejected.addObject().put("index", indices[i]);
      item.putObject("error")
          .put("code", codes[i % codes.length])
          .put("message", "event " + indices[i] + " is not valid")
          .put("field", "ts");
    }
    return body;
  }

  private static AbTestClient client(StubServer stub) {
    return AbTestClient.builder(stub.uri(), StubServer.KEY)
        .flushInterval(Duration.ofHours(1))
        .batchSize(10)
        .requestTimeout(Duration.ofSeconds(2))
        .build();
  }

  @Test
  void eventsTheServerRejectsCountAsFailedAndRejectedNotAsSent() throws Exception {
    try (StubServer stub = new StubServer()) {
      stub.manifest.set(AbTestClientTest.manifest(1, 10_000));
      stub.eventsReply = batch -> rejecting(8, new String[] {"invalid_variant"}, 0, 3);
      try (AbTestClient c = client(stub)) {
        for (int i = 0; i < 30; i++) {
          c.track("u" + i, "purchase", i);
        }
        c.flush(Duration.ofSeconds(5));
        assertThat(stub.batches).hasSize(3);
        assertThat(c.stats().eventsSent()).isEqualTo(24);
        assertThat(c.stats().eventsFailed()).isEqualTo(6);
        assertThat(c.stats().eventsRejected()).isEqualTo(6);
        assertThat(c.stats().eventsDropped()).isZero();
      }
    }
  }

  @Test
  void aBatchWithRejectionsLogsOneWarningNamingAtMostFiveReasons() throws Exception {
    try (StubServer stub = new StubServer()) {
      stub.manifest.set(AbTestClientTest.manifest(1, 10_000));
      String[] codes = {"c1", "c2", "c3", "c4", "c5", "c6", "c7"};
      stub.eventsReply = batch -> rejecting(1, codes, 0, 1, 2, 3, 4, 5, 6, 7, 8);
      try (AbTestClient c = client(stub)) {
        for (int i = 0; i < 10; i++) {
          c.track("u" + i, "purchase", i);
        }
        c.flush(Duration.ofSeconds(5));
        assertThat(c.stats().eventsRejected()).isEqualTo(9);
        assertThat(warnings).hasSize(1);
        String text = warnings.get(0).getMessage();
        assertThat(text)
            .startsWith("9 of 10 events rejected by the server: ")
            .contains("2 × c1 (ts), e.g. event 0 is not valid")
            .contains("c5 (ts)")
            .doesNotContain("c6", "c7")
            .endsWith("; 2 for other reasons");
      }
    }
  }

  @Test
  void moreRejectionsThanTheBatchHeldCountAsTheWholeBatchAtMost() throws Exception {
    try (StubServer stub = new StubServer()) {
      stub.manifest.set(AbTestClientTest.manifest(1, 10_000));
      stub.eventsReply = batch -> rejecting(0, new String[] {"bad"}, 0, 1, 2, 3, 4);
      try (AbTestClient c = client(stub)) {
        c.track("u", "purchase", 1);
        c.track("u", "purchase", 2);
        c.flush(Duration.ofSeconds(5));
        assertThat(c.stats().eventsRejected()).isEqualTo(2);
        assertThat(c.stats().eventsSent()).isZero();
      }
    }
  }

  @Test
  void anAcceptingReplyWithoutRejectionsCountsEveryEventAsSentAndLogsNothing() throws Exception {
    try (StubServer stub = new StubServer()) {
      stub.manifest.set(AbTestClientTest.manifest(1, 10_000));
      stub.eventsReply =
          batch ->
              Json.mapper()
                  .createObjectNode()
                  .put("accepted", 5)
                  .set("rejected", Json.mapper().createArrayNode());
      try (AbTestClient c = client(stub)) {
        for (int i = 0; i < 5; i++) {
          c.track("u" + i, "purchase", i);
        }
        c.flush(Duration.ofSeconds(5));
        assertThat(c.stats().eventsSent()).isEqualTo(5);
        assertThat(c.stats().eventsFailed()).isZero();
        assertThat(c.stats().eventsRejected()).isZero();
        assertThat(warnings).isEmpty();
      }
    }
  }
}
