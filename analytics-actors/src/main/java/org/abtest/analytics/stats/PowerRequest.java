package org.abtest.analytics.stats;

/**
 * The body of {@code POST /v1/power}. Give {@code mde} to get the sample size per group, or {@code
 * nPerGroup} to get the minimum detectable effect.
 *
 * @param kind {@code proportion} or {@code mean}
 * @param baseline control conversion rate (proportion); control mean (mean, needed only when
 *     relative)
 * @param sd standard deviation of a unit's value (mean)
 * @param mde absolute difference, or a fraction of the baseline when {@code relative}
 * @param relative whether {@code mde} (in and out) is relative to the baseline; default false
 * @param alpha two-sided significance level, default 0.05
 * @param power default 0.8
 * @param method for means: {@code t} (default, noncentral t as R {@code power.t.test}) or {@code
 *     normal} (normal approximation)
 */
public record PowerRequest(
    String kind,
    Double baseline,
    Double sd,
    Double mde,
    Boolean relative,
    Double alpha,
    Double power,
    Long nPerGroup,
    String method) {}
