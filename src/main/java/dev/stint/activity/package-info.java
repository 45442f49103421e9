/**
 * Activity per grant: what each credential handed out for a request did, looked up in the cloud's
 * own logs through {@code mint.ActivityLookup} (CloudTrail for AWS, the Activity Log for Azure),
 * each call kept once, shown per request and summed up in the audit when the grant has ended and
 * its records have arrived.
 *
 * <p>The rounds look credentials up while they live and once after they settle, and write {@code
 * grant.activity} in the audit (and {@code lease.activity} for each task lease that minted on the
 * grant, the lease read from the ledger's {@code lease_id}, never from {@code lease}); the
 * per-request view, and the view of some of a request's credentials (a lease's: {@code
 * GrantActivity.ofCredentials}). What stint can see of their calls ({@code Visibility}, pure:
 * management calls looked up, data events only once the push has delivered one from the account, an
 * Azure token's writes only; "not used" only where every call is visible), from the lookups and the
 * accounts the push delivered data events from ({@code activity_data_pushed}). Clouds are named
 * through {@code cloud.Cloud}, never a literal. The credentials each lookup and each delivered call
 * is about are asked of {@code ledger} ({@code Ledger.some}, {@code Ledger.ofKey}).
 *
 * <p>An IAM Identity Center grant hands out no key: its portal access ({@code PortalAccess}, {@code
 * activity_portal_access}, added by V59's trigger when the grant's assignment is marked created)
 * stands where a credential stands, looked up by CloudTrail's {@code Username}, and a call is its
 * grant's only when it is its user's session of the permission set's provisioned role (found
 * through the port {@code PortalRoleFinder}, which {@code app} joins to {@code mint.Assigner}) in
 * its account, within the grant's window ({@code PortalCaller}, pure); the findings read whose it
 * is through {@code PortalAccess.origins}, and the reviews when each person last had one through
 * {@code ProfileUsage.lastPortalAccess}. Not the ledger: stint minted nothing, and revocation acts
 * on the ledger alone.
 *
 * <p>The CloudTrail ingest's use case: its token, matching a pushed call to the credential that
 * made it, and binding it to what the ledger recorded of that credential ({@code PushBinding}: its
 * life, its role's account, its source identity), since the token alone stands behind a pushed
 * record and a kept call can end a grant through the findings; it reads the record through a reader
 * {@code app} gives it ({@code mint.aws.CloudTrailRecords}). What either source brings that stint
 * does not keep as it said ({@code ActivityAnomalies}, {@code activity_anomalies}): a pushed call
 * that disagrees with the ledger ({@code activity.push_mismatched}), an event id kept before with
 * other content ({@code KeptConflicts}, {@code activity.event_conflicted}, and the alarm through a
 * port).
 *
 * <p>The report of grants never used, from its own usage rows ({@code grant_usage}, kept by the
 * migrations' triggers on the grants, the ledger and the assignments in the transactions that
 * change them, listed in docs/design.md), which also count what {@code grant.activity} says a grant
 * handed out. The watch on the policy's roles ({@code RoleWatch}: {@code role.assumed_outside}, the
 * alarm through a port; the roles through a supplier, never {@code policy}). The turns every
 * replica takes to call a rate-limited cloud API ({@code SharedCallSlots}, {@code mint.CallSlots}
 * in Postgres).
 */
package dev.stint.activity;
