package org.abtest.analytics.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.analysis.solvers.BrentSolver;

/**
 * Two-sided group-sequential boundaries from Lan–DeMets alpha spending for equally spaced looks.
 *
 * <p>Spending functions at information fraction t, for the total two-sided α: O'Brien–Fleming type
 * {@code α(t) = 2·[2 − 2Φ(z_{α/4}/√t)]}, Pocock type {@code α(t) = α·ln(1 + (e − 1)t)}. The OBF
 * form is Lan and DeMets' {@code 2 − 2Φ(z_{a/2}/√t)} applied to each side at a = α/2, the
 * convention of the standard software and tables (K = 5, α = 0.05: 4.877, 3.357, 2.680, 2.290,
 * 2.031); applying it once to the total α instead would give the visibly different 4.383, 3.100, ….
 * Look k's boundary c_k is the z with {@code P(no earlier crossing, |Z_k| ≥ c_k) = α(t_k) −
 * α(t_{k−1})} under the null. That probability is computed on the score scale S_k = Z_k√t_k, a
 * Brownian motion with independent N(0, Δt) increments: the sub-density of S_k on the continuation
 * region is propagated look to look by convolution with the increment density (Armitage, McPherson
 * and Rowe 1969; Jennison and Turnbull 2000, ch. 19), integrated with Simpson's rule on a grid much
 * finer than the increment's standard deviation.
 *
 * @param boundaries |z| at which to stop at each look
 * @param alphaSpent cumulative alpha spent through each look, α(t_k)
 */
public record Boundaries(List<Double> boundaries, List<Double> alphaSpent) {
  public static final int MAX_LOOKS = 50;

  /** Grid steps per standard deviation of one increment: boundaries agree with rpact to ~2e-8. */
  private static final int STEPS_PER_SD = 24;

  private static final BrentSolver SOLVER = new BrentSolver(1e-13, 1e-13);

  public static Boundaries compute(BoundariesRequest r) {
    return compute(r, Budget.unlimited());
  }

  /** As above, within a budget: the work grows with the cube of the number of looks. */
  public static Boundaries compute(BoundariesRequest r, Budget budget) {
    String spending = r.spending() == null ? "obf" : r.spending().toLowerCase(Locale.ROOT);
    Num.require(
        spending.equals("obf") || spending.equals("pocock"), "spending must be obf or pocock");
    Num.require(
        r.looks() != null && r.looks() >= 1 && r.looks() <= MAX_LOOKS,
        "looks must be between 1 and " + MAX_LOOKS);
    double alpha = Num.probability(r.alpha() == null ? 0.05 : r.alpha(), "alpha");
    return compute(spending.equals("obf"), r.looks(), alpha, budget);
  }

  /** Alpha spent by information fraction t. */
  static double spent(boolean obf, double alpha, double t) {
    if (t <= 0) {
      return 0;
    }
    if (obf) {
      return 4 * Dist.normCdf(-Dist.normUpper(alpha / 4) / Math.sqrt(t));
    }
    return alpha * Math.log(1 + (Math.E - 1) * t);
  }

  static Boundaries compute(boolean obf, int looks, double alpha) {
    return compute(obf, looks, alpha, Budget.unlimited());
  }

  static Boundaries compute(boolean obf, int looks, double alpha, Budget budget) {
    double dt = 1.0 / looks;
    double incSd = Math.sqrt(dt);
    List<Double> bounds = new ArrayList<>();
    List<Double> spentList = new ArrayList<>();
    double[] grid = null; // score values of the continuation region at the previous look
    double[] density = null; // sub-density of the score there
    double previous = 0;
    for (int k = 1; k <= looks; k++) {
      double t = k * dt;
      double cumulative = spent(obf, alpha, t);
      double increment = cumulative - previous;
      double sqrtT = Math.sqrt(t);
      double c;
      if (k == 1) {
        c = Dist.normUpper(increment / 2);
      } else {
        double[] g = grid;
        double[] f = density;
        c =
            SOLVER.solve(
                1000,
                z -> {
                  budget.spend(g.length);
                  return exitProbability(g, f, z * sqrtT, incSd) - increment;
                },
                1e-3,
                60);
      }
      bounds.add(c);
      spentList.add(cumulative);
      previous = cumulative;
      if (k == looks) {
        break;
      }
      double b = c * sqrtT;
      int m = 2 * (int) Math.ceil(b * STEPS_PER_SD / incSd);
      double[] next = new double[m + 1];
      double[] nextDensity = new double[m + 1];
      for (int i = 0; i <= m; i++) {
        next[i] = -b + 2 * b * i / m;
      }
      budget.spend((long) (m / 2 + 1) * (grid == null ? 1 : grid.length));
      // the null density is symmetric: compute the left half and mirror it
      for (int i = 0; i <= m / 2; i++) {
        nextDensity[i] =
            k == 1 ? Dist.phi(next[i] / sqrtT) / sqrtT : convolve(grid, density, next[i], incSd);
        nextDensity[m - i] = nextDensity[i];
      }
      grid = next;
      density = nextDensity;
    }
    return new Boundaries(List.copyOf(bounds), List.copyOf(spentList));
  }

  /** P(the score leaves (−b, b) at the next look, having been inside at the previous one). */
  private static double exitProbability(double[] grid, double[] density, double b, double sd) {
    double[] values = new double[grid.length];
    for (int i = 0; i < grid.length; i++) {
      double s = grid[i];
      values[i] = density[i] * (Dist.normCdf((-b - s) / sd) + Dist.normCdf((s - b) / sd));
    }
    return simpson(grid, values);
  }

  private static double convolve(double[] grid, double[] density, double y, double sd) {
    double[] values = new double[grid.length];
    for (int i = 0; i < grid.length; i++) {
      double u = (y - grid[i]) / sd;
      // beyond 9 sd the kernel is below 1e-18 of its peak: skip the exp
      values[i] = Math.abs(u) > 9 ? 0 : density[i] * Dist.phi(u) / sd;
    }
    return simpson(grid, values);
  }

  /** Composite Simpson on an evenly spaced grid with an even number of intervals. */
  private static double simpson(double[] grid, double[] values) {
    int m = grid.length - 1;
    double h = (grid[m] - grid[0]) / m;
    double sum = values[0] + values[m];
    for (int i = 1; i < m; i++) {
      sum += values[i] * (i % 2 == 1 ? 4 : 2);
    }
    return sum * h / 3;
  }
}
