package org.abtest.analytics.stats;

import java.util.List;

/**
 * The body of {@code POST /v1/analysis/bandit}.
 *
 * @param minShare the smallest traffic share any arm keeps, so that no arm starves of data; default
 *     {@value Bandit#DEFAULT_MIN_SHARE}
 */
public record BanditRequest(List<Arm> arms, Double minShare) {
  /** One arm's counts. */
  public record Arm(String key, long n, long conversions) {}
}
