/**
 * The HTTP API: the authenticated {@code /v1} routes, the error mapper (codes to statuses,
 * problem+json), the wire bodies, health, metrics and client addresses.
 *
 * <p>Also Slack's signed interaction endpoint, the CloudTrail ingest endpoint (with its own body
 * limit), the SCIM endpoints under {@code /scim/v2} (their own token and error documents), and the
 * eligibility report ({@code EligibilityReport}: the directory's active users judged under the
 * policy in force, on a worker of its own); the findings' reads.
 */
package dev.stint.http;
