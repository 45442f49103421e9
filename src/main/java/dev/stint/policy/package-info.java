/**
 * Policy files and every decision on them: loading, validation, CEL conditions, pure evaluation of
 * every "may", and hot reload.
 *
 * <p>Each profile's cloud target is parsed into its {@code cloud} record ({@code TargetParser}); a
 * narrowed profile's {@code parameters}, with their safe patterns ({@code ParameterParser}, {@code
 * PatternGrammar}, {@code SafePattern}), are bound to its template ({@code Narrowing}), and bundles
 * and CI rules fix values for them ({@code BundleParser}, {@code FixedParameters}).
 *
 * <p>The rights classes answer each "may" with its reason, pure, over who the person is under the
 * policy ({@code Roles}: admin, auditor, reviewer, approver): {@code RequestRights} of a request,
 * {@code FilingRights} of what one may file (break-glass, a parameter's listed values), {@code
 * ReviewRights} of access reviews (open, read, decide, never one's own item, restore), {@code
 * LeaseRights} of task leases (lease a grant, carry a narrower policy, vote, revoke, mint as the
 * agent named, mint at all, nobody suspended), {@code ExtensionRights} of what nobody may with a
 * grant's extensions (extend under a profile without the rule, ask for another's grant, extend a CI
 * job's, last past {@code max_total}, withdraw a vote unless stint). A use case raises a "no"
 * through {@code Decision.orRefuse} (or {@code refusal}), the one mapping to {@code forbidden}. Who
 * may request and approve ahead of any request, facts unknown, is {@code Eligibility}, for the
 * report.
 */
package dev.stint.policy;
