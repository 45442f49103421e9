/**
 * Extending a live grant: the holder asks for more time, approvers decide as they vote on a
 * request, a sweep expires what can no longer apply, a leaver's are ended.
 *
 * <p>Its face, a port per kind of caller, assembled by {@code ExtensionService} for {@code app}
 * alone ({@code FeaturePortsTest}): {@code Extensions} (ask, decide, read, what the caller may do)
 * for the routes and pages; {@code ExtensionMessages} (read one, whose vote would count, decide on
 * a click) for Slack's messages, through {@code app}; {@code ExtensionSweeps} for the timers;
 * {@code ExtensionLeavers} for the directory's deprovisioning. Its values: {@code Extension},
 * {@code Extended}, {@code ExtendedPage}, {@code WaitingExtension}, {@code ExtensionSeen}, {@code
 * ExtensionCursor}. Nothing else leaves the package.
 *
 * <p>Behind them, a use case per class: {@code ExtensionAsking}, {@code ExtensionDeciding}, {@code
 * ExtensionReading} (joined as {@code ExtensionDesk}), {@code ExtensionSweep}, {@code
 * ExtensionLeaving}, and who hears in {@code ExtensionNews}. The extension has its own state
 * machine ({@code ExtensionMachine}), store ({@code ExtensionStore}, held by nobody outside) and
 * audit events. It is decided under the original request's row lock (taken through {@code
 * access.RequestsInTransaction}, which only this package may use: {@code AccessPortsTest}), with
 * the request's approval rules (the policy's, asked of the request as it reads it: {@code
 * AccessRequest.filed}) and its vote rules ({@code access.Vote}: step-up, own ask, not an approver,
 * a second vote, in a request's words). Its side effects go through the outbox.
 *
 * <p>Every "may" of an extension is {@code policy}'s: the caller's rights on the request ({@code
 * RequestRights}: see, ask, approve, deny, cancel) and what nobody may ({@code
 * policy.ExtensionRights}: extend under a profile without the rule, ask for another's grant, extend
 * a CI job's, last past {@code max_total}, withdraw a vote unless stint), each "no" raised through
 * {@code Decision.refusal} into the machine's refusal ({@code ExtensionMachine.refusal}), which is
 * recorded.
 *
 * <p>{@code ExtensionLeavers} ends a deprovisioned person's pending extensions and withdraws their
 * votes on others', in the directory's transaction after {@code access.Leavers}.
 */
package dev.stint.extension;
