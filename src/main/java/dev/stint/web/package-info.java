/**
 * The pages under {@code /ui}: OIDC sign-in, sessions and CSRF, and pages that render the same use
 * cases' answers as the API.
 *
 * <p>A request's page shows its activity; a request's task leases, and each lease's page (intent,
 * policy, credential, calls, end) with its Revoke form; the access reviews a visitor may read and
 * each review's page, every person with their evidence in one table, a reviewer's Keep / Remove per
 * row and one form for a selection, its CSV and JSON downloads. Also Slack account linking.
 */
package dev.stint.web;
