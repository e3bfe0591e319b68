package org.abtest.analytics.stats;

import java.util.Optional;

/**
 * One variant against the baseline, composed of the engine's parts.
 *
 * <p>Undefined numbers follow {@link Num}'s rule, the one of the whole package: a {@code Double}
 * that is {@code null} when the quantity cannot be computed from the data (no units, no variance),
 * never NaN or infinite. A part that was not asked for is an empty {@code Optional}, not a record
 * of nulls: {@link #sequential} needs {@link Sequential.Method#MSPRT}, {@link #cuped} a covariate
 * on both arms (means only).
 *
 * @param test the frequentist test ({@link WelchResult} for means, {@link ProportionResult} for
 *     proportions), p-value unadjusted
 * @param adjustedPValue the test's p-value adjusted across the request's comparisons
 * @param verdict reads the adjusted p-value
 */
public record VariantComparison(
    String variant,
    String baseline,
    TestResult test,
    Double adjustedPValue,
    Verdict verdict,
    Bayesian.Result bayes,
    Optional<SequentialResult> sequential,
    Optional<CupedResult> cuped) {}
