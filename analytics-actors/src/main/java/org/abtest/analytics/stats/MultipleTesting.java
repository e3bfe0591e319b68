package org.abtest.analytics.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Multiple-comparison adjustment, with the same definitions as R's {@code p.adjust}: adjusted
 * p-values in input order, capped at 1, made monotone in the order of the raw p-values. {@code
 * null} entries (undefined p-values) are left out of the family and stay {@code null}.
 */
public final class MultipleTesting {
  private MultipleTesting() {}

  /**
   * The correction named in requests: {@code bh} (default), {@code holm}, {@code bonferroni}, none.
   */
  public enum Method {
    BH,
    HOLM,
    BONFERRONI,
    NONE;

    /** Parses the request value; {@code null} means the default, BH. */
    public static Method parse(String value, String field) {
      if (value == null) {
        return BH;
      }
      try {
        return valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            field + " must be one of bh, holm, bonferroni, none; got " + value, e);
      }
    }
  }

  /**
   * {@code POST /v1/analysis/adjust}: the method as named in the request ({@code method} field).
   */
  public static List<Double> adjust(String method, List<Double> pValues) {
    Num.require(method != null, "method is required");
    Num.require(pValues != null, "pValues is required");
    return adjust(Method.parse(method, "method"), pValues);
  }

  public static List<Double> adjust(Method method, List<Double> pValues) {
    List<Integer> present = new ArrayList<>();
    for (int i = 0; i < pValues.size(); i++) {
      Double p = pValues.get(i);
      if (p != null) {
        Num.require(p >= 0 && p <= 1, "pValues[" + i + "] must be within [0, 1], got " + p);
        present.add(i);
      }
    }
    double[] raw = present.stream().mapToDouble(pValues::get).toArray();
    double[] adjusted = adjust(method, raw);
    Double[] out = new Double[pValues.size()];
    for (int k = 0; k < present.size(); k++) {
      out[present.get(k)] = adjusted[k];
    }
    return Arrays.asList(out);
  }

  static double[] adjust(Method method, double[] p) {
    int m = p.length;
    double[] out = new double[m];
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    switch (method) {
      case NONE -> System.arraycopy(p, 0, out, 0, m);
      case BONFERRONI -> {
        for (int i = 0; i < m; i++) {
          out[i] = Math.min(1, p[i] * m);
        }
      }
      case HOLM -> {
        // step-down: ascending p, running maximum of (m − rank)·p
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        double running = 0;
        for (int r = 0; r < m; r++) {
          running = Math.max(running, Math.min(1, (m - r) * p[order[r]]));
          out[order[r]] = running;
        }
      }
      case BH -> {
        // step-up: descending p, running minimum of m/rank·p
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> p[i]).reversed());
        double running = 1;
        for (int r = 0; r < m; r++) {
          int rank = m - r;
          running = Math.min(running, (double) m / rank * p[order[r]]);
          out[order[r]] = Math.min(1, running);
        }
      }
    }
    return out;
  }
}
