package org.abtest.http.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.abtest.http.ports.AssignmentService.Result;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Assignment;
import org.junit.jupiter.api.Test;

class AssignmentJsonTest {

  private static JsonNode json(String text) throws Exception {
    return Json.mapper().readTree(text);
  }

  private static void assertSameBytesAsTheMapper(Result result) throws Exception {
    // writeValueAsBytes, as the API wrote it before: bytes and strings differ on surrogate pairs
    assertThat(new String(AssignmentJson.write(result), StandardCharsets.UTF_8))
        .isEqualTo(new String(Json.mapper().writeValueAsBytes(result), StandardCharsets.UTF_8));
  }

  @Test
  void writesExactlyWhatTheMapperWritesForTheResultRecord() throws Exception {
    assertSameBytesAsTheMapper(new Result("user-42", 7, List.of()));
    assertSameBytesAsTheMapper(
        new Result(
            "usér \"quoted\" \u2028 \uD83D\uDE00",
            Long.MAX_VALUE,
            List.of(
                new Assignment("checkout", "green", json("{}")),
                new Assignment(
                    "price", "high", json("{\"price\": 9.99, \"tags\": [1, null, \"x\"]}")),
                new Assignment("flag", "on", null),
                new Assignment("nulled", "on", NullNode.getInstance()),
                new Assignment("nested", "b", json("{\"a\": {\"b\": {\"c\": true}}}")))));
  }

  @Test
  void writesLargeAnswersWhole() throws Exception {
    List<Assignment> many = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      many.add(new Assignment("experiment-" + i, i % 2 == 0 ? "control" : "treatment", json("{}")));
    }
    assertSameBytesAsTheMapper(new Result("u", 1, many));
  }
}
