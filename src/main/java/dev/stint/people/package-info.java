/**
 * The people stint has seen, and their claims as stored between calls.
 *
 * <p>{@code PeopleSeen} owns the table {@code people_seen}: each person's latest verified claims
 * and when they were verified, written on every web sign-in, on API calls at most once an hour per
 * replica, and when the directory admits someone it had not seen; read to find who could approve a
 * request ({@code access}), review a profile ({@code review}, {@code notify.slack}) or owns a Slack
 * user's email ({@code notify.slack}); forgotten once older than {@code PeopleSeen.SEEN_WITHIN}.
 * The directory reads the table in its own SCIM statements (docs/design.md's table map says why).
 *
 * <p>{@code StoredClaims} is the form a person's verified claims are kept in between calls (here,
 * in Slack links and in web sessions), and reads them back only under the issuers the policy in
 * force trusts, which its callers hand in, so that this package sits below the policy: it imports
 * {@code identity} and nothing of stint's above it. Nothing here grants anything by itself: every
 * use evaluates the policy afresh on the stored claims.
 */
package dev.stint.people;
