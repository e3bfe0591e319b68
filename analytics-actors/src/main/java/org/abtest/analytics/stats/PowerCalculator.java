package org.abtest.analytics.stats;

import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.apache.commons.math3.exception.NoBracketingException;

/**
 * Sample size and minimum detectable effect for a two-sided, two-group comparison with equal
 * groups.
 *
 * <p>Proportions follow R's {@code power.prop.test} (strict = FALSE, so only the tail in the
 * direction of the effect counts): {@code power = Φ((√n·|p2 − p1| − z_{α/2}·√((p1 + p2)(q1 +
 * q2)/2)) / √(p1q1 + p2q2))}, solved in closed form for n and numerically for p2. Means follow R's
 * {@code power.t.test} (noncentral t with 2(n − 1) df and ncp √(n/2)·δ/σ) or, on request, the
 * normal approximation {@code n = 2σ²(z_{α/2} + z_β)²/δ²}.
 */
public final class PowerCalculator {
  private static final BrentSolver SOLVER = new BrentSolver(1e-12, 1e-12);

  private PowerCalculator() {}

  public static PowerResult calculate(PowerRequest r) {
    String kind = r.kind() == null ? "" : r.kind().toLowerCase(Locale.ROOT);
    double alpha = Num.probability(r.alpha() == null ? 0.05 : r.alpha(), "alpha");
    double power = Num.probability(r.power() == null ? 0.8 : r.power(), "power");
    boolean relative = Boolean.TRUE.equals(r.relative());
    Num.require(
        (r.mde() == null) != (r.nPerGroup() == null), "mde: give exactly one of mde and nPerGroup");
    Num.require(r.nPerGroup() == null || r.nPerGroup() >= 2, "nPerGroup must be >= 2");
    // a decrease is as detectable as the increase of the same size (R answers both alike)
    Num.require(
        r.mde() == null || (Double.isFinite(r.mde()) && r.mde() != 0),
        "mde must be a finite number other than 0 (negative for a decrease)");
    switch (kind) {
      case "proportion" -> {
        Num.require(
            r.baseline() != null && r.baseline() > 0 && r.baseline() < 1,
            "baseline must be a rate strictly between 0 and 1");
        double p1 = r.baseline();
        if (r.mde() != null) {
          double p2 = p1 + (relative ? r.mde() * p1 : r.mde());
          Num.require(p2 < 1, "mde takes the treatment rate to 1 or beyond");
          Num.require(p2 > 0, "mde takes the treatment rate to 0 or below");
          return sized(proportionN(p1, p2, alpha, power));
        }
        Double d = proportionMde(p1, r.nPerGroup(), alpha, power);
        return new PowerResult(null, null, d == null ? null : relative ? d / p1 : d);
      }
      case "mean" -> {
        Num.require(r.sd() != null && r.sd() > 0, "sd must be > 0");
        Num.require(
            !relative || (r.baseline() != null && r.baseline() != 0),
            "baseline (the control mean) must be given and non-zero when relative");
        double scale = relative ? Math.abs(r.baseline()) : 1;
        boolean normal = "normal".equalsIgnoreCase(r.method());
        Num.require(
            r.method() == null || normal || "t".equalsIgnoreCase(r.method()),
            "method must be t or normal");
        double sd = r.sd();
        if (r.mde() != null) {
          double delta = Math.abs(r.mde()) * scale;
          return sized(
              normal ? meanNNormal(delta, sd, alpha, power) : meanNT(delta, sd, alpha, power));
        }
        long n = r.nPerGroup();
        Double delta = normal ? meanMdeNormal(n, sd, alpha, power) : meanMdeT(n, sd, alpha, power);
        return new PowerResult(null, null, delta == null ? null : delta / scale);
      }
      default -> throw new IllegalArgumentException("kind must be proportion or mean");
    }
  }

  private static PowerResult sized(double n) {
    return new PowerResult((long) Math.ceil(n - 1e-9), n, null);
  }

  public static double proportionPower(double p1, double p2, double n, double alpha) {
    double q1 = 1 - p1;
    double q2 = 1 - p2;
    double za = Dist.normUpper(alpha / 2);
    return Dist.normCdf(
        (Math.sqrt(n) * Math.abs(p1 - p2) - za * Math.sqrt((p1 + p2) * (q1 + q2) / 2))
            / Math.sqrt(p1 * q1 + p2 * q2));
  }

  public static double proportionN(double p1, double p2, double alpha, double power) {
    double za = Dist.normUpper(alpha / 2);
    double zb = Dist.normUpper(1 - power);
    double spread =
        za * Math.sqrt((p1 + p2) * (2 - p1 - p2) / 2)
            + zb * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
    return spread * spread / ((p1 - p2) * (p1 - p2));
  }

  /** The absolute increase over p1 detectable with n per group, as R solves p2 in (p1, 1). */
  static Double proportionMde(double p1, long n, double alpha, double power) {
    Double p2 = root(p -> proportionPower(p1, p, n, alpha) - power, p1 + 1e-12, 1 - 1e-12);
    return p2 == null ? null : p2 - p1;
  }

  public static double meanPowerT(double delta, double sd, double n, double alpha) {
    double df = 2 * (n - 1);
    double q = Dist.tUpper(alpha / 2, df);
    return NoncentralT.upperTail(q, df, Math.sqrt(n / 2) * delta / sd);
  }

  static double meanNT(double delta, double sd, double alpha, double power) {
    // the t answer lies a little above the normal one; a tight bracket keeps the ncp near its
    // solution, where the noncentral t series is cheap
    double normal = meanNNormal(delta, sd, alpha, power);
    Double n = root(x -> meanPowerT(delta, sd, x, alpha) - power, 2, 2 * normal + 20);
    Num.require(n != null, "mde is too large: 2 units per group already exceed the power");
    return n;
  }

  static Double meanMdeT(long n, double sd, double alpha, double power) {
    double normal = meanMdeNormal(n, sd, alpha, power);
    return root(d -> meanPowerT(d, sd, n, alpha) - power, normal / 2, normal * 30);
  }

  static double meanNNormal(double delta, double sd, double alpha, double power) {
    double z = Dist.normUpper(alpha / 2) + Dist.normUpper(1 - power);
    return 2 * Math.pow(sd * z / delta, 2);
  }

  static Double meanMdeNormal(long n, double sd, double alpha, double power) {
    return (Dist.normUpper(alpha / 2) + Dist.normUpper(1 - power)) * sd * Math.sqrt(2.0 / n);
  }

  private static Double root(DoubleUnaryOperator f, double lo, double hi) {
    try {
      return SOLVER.solve(10_000, f::applyAsDouble, lo, hi);
    } catch (NoBracketingException e) {
      return null;
    }
  }
}
