package org.abtest.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * The benchmarked workload, written once and rendered for each implementation: 50 experiments,
 * alternating 2-arm experiments (50/50) and single-variant flags; coverage 100/50/20/80 %;
 * conditions none / country in (US, CA) / platform = ios / appVersion > 2.5.0 / age > 30; the first
 * 25 in 5 mutually exclusive layers of 5 (slot ranges of 20 %), the rest unlayered.
 */
final class Scenario {

  enum Condition {
    NONE,
    COUNTRY,
    PLATFORM,
    VERSION,
    AGE
  }

  /**
   * @param layer -1 without a layer; slots are [slotStart, slotEnd) in basis points
   */
  record Spec(
      String key,
      boolean flag,
      int coverage,
      Condition condition,
      int layer,
      int slotStart,
      int slotEnd) {
    List<String> variants() {
      return flag ? List.of("on") : List.of("control", "treatment");
    }
  }

  static final String[] COUNTRIES = {"US", "CA", "FR", "DE"};
  static final String[] PLATFORMS = {"ios", "android"};

  private Scenario() {}

  static List<Spec> specs(int count) {
    int[] coverages = {10_000, 5000, 2000, 8000};
    List<Spec> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      boolean layered = count > 1 && i < count / 2;
      out.add(
          new Spec(
              "exp" + i,
              i % 2 == 1,
              coverages[i % 4],
              Condition.values()[i % 5],
              layered ? i / 5 : -1,
              layered ? (i % 5) * 2000 : 0,
              layered ? (i % 5 + 1) * 2000 : 10_000));
    }
    return out;
  }

  /** One user's attributes, varied by index, as a server would receive them per request. */
  record User(String id, String country, String platform, String appVersion, int age) {
    static User of(int i) {
      return new User(
          "user-" + i,
          COUNTRIES[i % 4],
          PLATFORMS[(i / 4) % 2],
          (i % 5) + "." + (i % 7) + ".0",
          18 + (i * 7) % 60);
    }
  }
}
