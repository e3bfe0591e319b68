package org.abtest.benchmarks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Before anything is measured: every implementation must put a plausible share of users into each
 * variant of each experiment, close to ours, so that none is fast because it short-circuits (an
 * unparsed rule, a disabled flag). Run alone to print the table: {@code java -cp
 * benchmarks/target/benchmarks.jar org.abtest.benchmarks.SanityCheck}.
 */
final class SanityCheck {

  static final int USERS = 4_000;

  private SanityCheck() {}

  /** Shares by "experiment/variant" over the first {@link #USERS} users. */
  static Map<String, Double> shares(Implementation impl) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < USERS; i++) {
      Scenario.User user = Scenario.User.of(i);
      for (Scenario.Spec s : impl.specs()) {
        String v = impl.variant(user, s.key());
        if (v != null) {
          counts.merge(s.key() + "/" + v, 1, Integer::sum);
        }
      }
    }
    Map<String, Double> shares = new HashMap<>();
    counts.forEach((k, n) -> shares.put(k, n / (double) USERS));
    return shares;
  }

  /**
   * Throws unless every cell with at least 1 % of users in ours is within a factor 1.5 in theirs.
   */
  static void verify(Implementation impl, Map<String, Double> ours) {
    if (impl instanceof OurSdk) {
      return;
    }
    Map<String, Double> theirs = shares(impl);
    for (Map.Entry<String, Double> cell : ours.entrySet()) {
      if (cell.getValue() < 0.01) {
        continue;
      }
      double got = theirs.getOrDefault(cell.getKey(), 0.0);
      double ratio = got / cell.getValue();
      if (ratio < 1 / 1.5 || ratio > 1.5) {
        throw new IllegalStateException(
            "%s puts %.2f%% of users in %s, ours %.2f%%: not an equivalent rule set"
                .formatted(impl.name(), got * 100, cell.getKey(), cell.getValue() * 100));
      }
    }
  }

  static Implementation create(String name, List<Scenario.Spec> specs) throws Exception {
    return switch (name) {
      case "abtest" -> new OurSdk(specs, true);
      case "abtest-unshared" -> new OurSdk(specs, false);
      case "optimizely" -> new OptimizelySdk(specs);
      case "launchdarkly" -> new LaunchDarklySdk(specs);
      case "unleash" -> new UnleashSdk(specs);
      default -> throw new IllegalArgumentException(name);
    };
  }

  public static void main(String[] args) throws Exception {
    List<Scenario.Spec> specs = Scenario.specs(50);
    Map<String, Double> ours = shares(new OurSdk(specs));
    String[] names = {"abtest", "optimizely", "launchdarkly", "unleash"};
    Map<String, Map<String, Double>> all = new HashMap<>();
    for (String name : names) {
      try (Implementation impl = create(name, specs)) {
        all.put(name, shares(impl));
        verify(impl, ours);
        System.out.println(name + ": plausible");
      }
    }
    System.out.printf("%-18s %8s %8s %8s %8s%n", "cell (% of users)", (Object[]) names);
    ours.keySet().stream()
        .sorted()
        .forEach(
            cell -> {
              System.out.printf("%-18s", cell);
              for (String n : names) {
                System.out.printf(" %8.2f", all.get(n).getOrDefault(cell, 0.0) * 100);
              }
              System.out.println();
            });
  }
}
