/**
 * Policy files and every decision on them: loading, validation, CEL conditions, pure evaluation of
 * every "may", and hot reload.
 *
 * <p>Each profile's cloud target is parsed into its {@code cloud} record ({@code TargetParser}); a
 * narrowed profile's {@code parameters}, with their safe patterns ({@code ParameterParser}, {@code
 * PatternGrammar}, {@code SafePattern}), are bound to its template ({@code Narrowing}), and bundles
 * and CI rules fix values for them ({@code BundleParser}, {@code FixedParameters}).
 *
 * <p>The rights classes answer each "may" with its reason: {@code RequestRights} of a request,
 * {@code ReviewRights} of what reviews decided. Who may request and approve ahead of any request,
 * facts unknown, is {@code Eligibility}, for the report.
 */
package dev.stint.policy;
