package org.abtest.analytics.stats;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Thompson-sampling allocation for conversion arms with Beta(1, 1) priors, computed exactly instead
 * of by sampling: arm i's share is P(i is best) = ∫ f_i(x) Π_{j≠i} F_j(x) dx, integrated by
 * Simpson's rule over the range where f_i is not negligible. Every arm is then lifted to at least
 * {@code minShare} and the rest renormalised, so a losing arm keeps producing the data that could
 * revive it.
 *
 * @param probabilityBest per arm key, in request order
 * @param allocation traffic share per arm key, summing to 1
 */
public record Bandit(Map<String, Double> probabilityBest, Map<String, Double> allocation) {
  public static final double DEFAULT_MIN_SHARE = 0.01;

  public static Bandit compute(BanditRequest request) {
    return compute(request, Budget.unlimited());
  }

  /** As above, within a budget: the work grows with the square of the number of arms. */
  public static Bandit compute(BanditRequest request, Budget budget) {
    List<BanditRequest.Arm> arms = request.arms();
    Num.require(arms != null && arms.size() >= 2, "arms must list at least two arms");
    double minShare = request.minShare() == null ? DEFAULT_MIN_SHARE : request.minShare();
    Num.require(
        minShare >= 0 && minShare * arms.size() <= 1,
        "minShare must be >= 0 and at most 1 / number of arms");
    List<BetaPosterior> posteriors = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < arms.size(); i++) {
      BanditRequest.Arm arm = arms.get(i);
      Num.require(arm != null && arm.key() != null, "arms[" + i + "].key is required");
      Num.require(keys.add(arm.key()), "arms[" + i + "].key is duplicated: " + arm.key());
      try {
        posteriors.add(BetaPosterior.of(new ProportionSummary(arm.n(), arm.conversions())));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("arms[" + i + "]." + e.getMessage(), e);
      }
    }
    double[] best = probabilityBest(posteriors, budget);
    double[] share = allocate(best, minShare);
    Map<String, Double> bestByKey = new LinkedHashMap<>();
    Map<String, Double> shareByKey = new LinkedHashMap<>();
    for (int i = 0; i < arms.size(); i++) {
      bestByKey.put(arms.get(i).key(), best[i]);
      shareByKey.put(arms.get(i).key(), share[i]);
    }
    return new Bandit(bestByKey, shareByKey);
  }

  static double[] probabilityBest(List<BetaPosterior> arms, Budget budget) {
    int k = arms.size();
    double[] p = new double[k];
    double total = 0;
    for (int i = 0; i < k; i++) {
      BetaPosterior own = arms.get(i);
      int self = i;
      p[i] =
          BetaPosterior.integrate(
              x -> {
                double v = own.density(x);
                for (int j = 0; j < k && v > 0; j++) {
                  if (j != self) {
                    v *= arms.get(j).cdf(x);
                  }
                }
                return v;
              },
              arms,
              own.lower(),
              own.upper(),
              budget);
      total += p[i];
    }
    // the integrals sum to 1 up to quadrature error; normalising removes that drift
    for (int i = 0; i < k; i++) {
      p[i] /= total;
    }
    return p;
  }

  /** Raises shares below the floor to it and scales the others to fill what is left. */
  static double[] allocate(double[] probabilities, double minShare) {
    int k = probabilities.length;
    boolean[] floored = new boolean[k];
    double[] share = new double[k];
    boolean changed = true;
    while (changed) {
      changed = false;
      int flooredCount = 0;
      double freeMass = 0;
      for (int i = 0; i < k; i++) {
        if (floored[i]) {
          flooredCount++;
        } else {
          freeMass += probabilities[i];
        }
      }
      double left = 1 - flooredCount * minShare;
      int freeCount = k - flooredCount;
      for (int i = 0; i < k; i++) {
        if (floored[i]) {
          share[i] = minShare;
        } else {
          share[i] = freeMass > 0 ? probabilities[i] / freeMass * left : left / freeCount;
          if (share[i] < minShare) {
            floored[i] = true;
            changed = true;
          }
        }
      }
    }
    return share;
  }
}
