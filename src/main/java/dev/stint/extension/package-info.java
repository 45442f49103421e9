/**
 * Extending a live grant, a use case per class: {@code ExtensionAsking}, {@code ExtensionDeciding},
 * {@code ExtensionReading}, {@code ExtensionSweep}, and who hears in {@code ExtensionNews},
 * assembled as {@code ExtensionService}.
 *
 * <p>The extension has its own state machine, store and audit events. It is decided under the
 * original request's row lock (taken through {@code access.RequestsInTransaction}, which only this
 * package may use: {@code AccessPortsTest}), with the request's approval rules ({@code
 * access.AccessRules}) and its vote rules ({@code access.Vote}: step-up, own ask, not an approver,
 * a second vote, in a request's words). Its side effects go through the outbox.
 *
 * <p>{@code ExtensionLeavers} ends a deprovisioned person's pending extensions and withdraws their
 * votes on others', in the directory's transaction after {@code access.Leavers}.
 */
package dev.stint.extension;
