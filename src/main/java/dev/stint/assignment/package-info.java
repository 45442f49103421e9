/**
 * IAM Identity Center grants: a grant of an {@code identity_center} profile is an account
 * assignment of the person's Identity Center user, made when the grant starts and deleted when it
 * ends or is revoked, through the outbox ({@link dev.stint.assignment.AssignmentListener}), from
 * what was recorded in its table ({@code identity_center_assignments}) and never from today's
 * policy. stint deletes only an assignment it made, and only once no live grant of the same user
 * holds it; the portal sessions its user took are denied twice through the revocation's ports: up
 * to a revoke, at once ({@code PortalRoles} as {@code revocation.PortalSessions}), and up to the
 * deletion AWS has confirmed, before the row settles ({@code revocation.UnassignedSessions}), for a
 * revoke and an expiry alike; a person with no Identity Center user gets a {@code failed}
 * assignment and nothing assigned. Each step is audited ({@code assignment.created}, {@code
 * assignment.deleted}, {@code assignment.failed}). The cloud is reached through {@code
 * mint.Assigner}; this package names none.
 */
package dev.stint.assignment;
