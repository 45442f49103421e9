/**
 * The directory an identity provider (Okta, Entra ID) pushes over SCIM 2.0 (RFC 7643/7644): its
 * users, their emails and its groups with their members, in Postgres, and what it says of each
 * person.
 *
 * <p>The protocol, pure where it can be: filters compiled to parameterised SQL, PATCH as Okta and
 * Entra send it, resource shapes, paging, discovery documents. The bearer token is compared in
 * constant time; each write is audited in its own transaction.
 *
 * <p>Which person each user is ({@code DirectoryPeople}, among the people seen of {@code
 * directory.issuer}, by {@code directory.match_claim} or an email compared by ASCII case only).
 * What it says of each person is kept in memory on every replica and re-read on its announcements
 * ({@code DirectoryView}, the {@code identity.Directory} every admission asks: their groups, or
 * refused once deprovisioned); a person it does not know yet is asked of the database before their
 * first call or sign-in is admitted ({@code FirstCalls}, {@code Sightings}).
 *
 * <p>Its active users a page at a time with their groups, email and matched person's stored claims
 * ({@code ActiveUsers}, read-only, for the eligibility report). People deprovisioned ({@code
 * Deprovisions}: the mark made in the SCIM write's transaction, and its work claimed by one
 * replica) have their access ended through the {@code Deprovisioning} port, done by {@code
 * access.Leavers} and {@code extension.ExtensionLeavers} and joined in {@code app}.
 */
package dev.stint.directory;
