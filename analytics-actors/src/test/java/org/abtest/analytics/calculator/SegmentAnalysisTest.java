package org.abtest.analytics.calculator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import com.fasterxml.jackson.databind.JsonNode;
import org.abtest.analytics.calculator.CalculatorJson.Operation;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/analysis} with segments: each segment analysed as the whole is, the p-values
 * adjusted across every segment's comparisons together.
 */
class SegmentAnalysisTest {

  private static String variants(double[] control, double[] b) {
    return "[{\"key\": \"control\", \"n\": %d, \"sum\": %s, \"sumSquares\": %s},"
            .formatted((long) control[0], control[1], control[2])
        + " {\"key\": \"b\", \"n\": %d, \"sum\": %s, \"sumSquares\": %s}]"
            .formatted((long) b[0], b[1], b[2]);
  }

  private static final String SEGMENTS =
      "[{\"value\": \"US\", \"variants\": "
          + variants(new double[] {1000, 5012.3, 30555.1}, new double[] {1010, 5222.9, 32001.7})
          + "}, {\"value\": \"DE\", \"variants\": "
          + variants(new double[] {400, 1980.0, 11000.0}, new double[] {410, 2140.0, 12100.0})
          + "}, {\"value\": \"FR\", \"variants\": "
          + variants(new double[] {300, 1500.0, 8200.0}, new double[] {290, 1430.0, 7900.0})
          + "}]";

  private static JsonNode analyse(String correction) throws Exception {
    return CalculatorJson.run(
        Operation.ANALYSIS,
        Json.mapper()
            .readTree(
                "{\"kind\": \"mean\", \"correction\": \""
                    + correction
                    + "\", \"weights\": [1, 1], \"variants\": "
                    + variants(
                        new double[] {1700, 8492.3, 49755.1}, new double[] {1710, 8792.9, 52001.7})
                    + ", \"segments\": "
                    + SEGMENTS
                    + "}"));
  }

  @Test
  void eachSegmentIsWelchsTestAndItsPValuesAreAdjustedAcrossAllSegments() throws Exception {
    // scipy 1.17.1: stats.ttest_ind_from_stats(b, control, equal_var=False) per segment, then
    // stats.false_discovery_control(p, method='bh'); Holm by its step-down formula on the same p
    double[] p = {0.11826475180160165, 0.018600062575549036, 0.6067152254483109};
    double[] diff = {0.15888811881188136, 0.26951219512195124, -0.068965517241379};
    double[] bh = {0.17739712770240246, 0.055800187726647105, 0.6067152254483109};
    double[] holm = {0.2365295036032033, 0.055800187726647105, 0.6067152254483109};
    JsonNode withBh = analyse("bh");
    JsonNode withHolm = analyse("holm");
    String[] values = {"US", "DE", "FR"};
    for (int i = 0; i < 3; i++) {
      JsonNode segment = withBh.at("/segments/" + i);
      assertThat(segment.get("value").asText()).isEqualTo(values[i]);
      JsonNode c = segment.at("/comparisons/0");
      assertThat(c.get("diff").asDouble()).isCloseTo(diff[i], within(1e-12));
      assertThat(c.get("pValue").asDouble()).isCloseTo(p[i], within(1e-12));
      assertThat(c.get("adjustedPValue").asDouble()).isCloseTo(bh[i], within(1e-12));
      assertThat(withHolm.at("/segments/" + i + "/comparisons/0/adjustedPValue").asDouble())
          .isCloseTo(holm[i], within(1e-12));
      assertThat(segment.at("/srm/pValue").isNumber()).isTrue();
    }
    // DE alone would be significant at 0.05; across the three segments it is not
    assertThat(withBh.at("/segments/1/comparisons/0/verdict").asText()).isNotEqualTo("significant");
    // the whole keeps its own family (one comparison: nothing to adjust)
    assertThat(withBh.at("/comparisons/0/adjustedPValue").asDouble())
        .isEqualTo(withBh.at("/comparisons/0/pValue").asDouble());
  }

  @Test
  void withoutSegmentsTheAnswerHasNoSegmentsField() throws Exception {
    JsonNode plain =
        CalculatorJson.run(
            Operation.ANALYSIS,
            Json.mapper()
                .readTree(
                    "{\"kind\": \"mean\", \"variants\": "
                        + variants(new double[] {10, 50, 300}, new double[] {10, 55, 320})
                        + "}"));
    assertThat(plain.has("segments")).isFalse();
  }

  @Test
  void aSegmentMustListTheSameVariantsAndHaveAUniqueValue() {
    String base =
        "{\"kind\": \"mean\", \"variants\": "
            + variants(new double[] {10, 50, 300}, new double[] {10, 55, 320})
            + ", \"segments\": ";
    for (String[] bad :
        new String[][] {
          {
            "[{\"value\": \"US\", \"variants\": [{\"key\": \"control\", \"n\": 5, \"sum\": 1,"
                + " \"sumSquares\": 1}]}]",
            "segments[0].variants"
          },
          {
            "[{\"value\": \"\", \"variants\": "
                + variants(new double[] {5, 25, 150}, new double[] {5, 27, 160})
                + "}]",
            "segments[0].value"
          },
          {
            "[{\"value\": \"US\", \"variants\": "
                + variants(new double[] {5, 25, 150}, new double[] {5, 27, 160})
                + "}, {\"value\": \"US\", \"variants\": "
                + variants(new double[] {5, 25, 150}, new double[] {5, 27, 160})
                + "}]",
            "segments[1].value"
          },
          {
            "[{\"value\": \"US\", \"variants\": "
                + variants(new double[] {5, 25, 150}, new double[] {1, 27, 160})
                + "}]",
            "segments[0].variants[1]"
          }
        }) {
      assertThatThrownBy(
              () ->
                  CalculatorJson.run(
                      Operation.ANALYSIS, Json.mapper().readTree(base + bad[0] + "}")))
          .as(bad[0])
          .asInstanceOf(type(InvalidInput.class))
          .satisfies(e -> assertThat(e.field()).startsWith(bad[1]));
    }
  }

  @Test
  void moreSegmentsThanTheLimitAreRefusedNamingSegments() throws Exception {
    StringBuilder many = new StringBuilder("[");
    int max = CalculatorLimits.defaults().maxSegments();
    for (int i = 0; i <= max; i++) {
      many.append(i == 0 ? "" : ", ")
          .append("{\"value\": \"s")
          .append(i)
          .append("\", \"variants\": ")
          .append(variants(new double[] {5, 25, 150}, new double[] {5, 27, 160}))
          .append("}");
    }
    String body =
        "{\"kind\": \"mean\", \"variants\": "
            + variants(new double[] {10, 50, 300}, new double[] {10, 55, 320})
            + ", \"segments\": "
            + many
            + "]}";
    assertThatThrownBy(() -> CalculatorJson.run(Operation.ANALYSIS, Json.mapper().readTree(body)))
        .asInstanceOf(type(InvalidInput.class))
        .satisfies(
            e -> {
              assertThat(e.code()).isEqualTo("too_many_items");
              assertThat(e.field()).isEqualTo("segments");
            });
  }
}
