/**
 * DEVELOPMENT AND TEST ONLY: what AWS STS, IAM and CloudTrail's {@code LookupEvents} accept and
 * refuse, as their public references state it, for the local stand-ins that play them: the demo's
 * ({@code dev.stint.demo}) and the tests' fakes. Both hold their own state and answer their own
 * way; here are only AWS's rules (required parameters, SigV4 signing and, where the caller's secret
 * is known, the signature itself, session names, tags, durations, the policy grammar and its size
 * limits, web identity tokens, lookup attributes, pages and the lookup rate limit), AWS's wire
 * documents and CloudTrail's event records, and the loopback HTTP servers they share (query
 * protocol and JSON protocol); how IAM decides a session's call ({@link IamEvaluator}), which the
 * demo's S3 ({@link S3StandIn}, reading a bucket with session keys the STS stand-in minted) and the
 * tests' deny checks share. Beside AWS, the REST APIs policy facts are looked up in, each as its
 * public reference states it: PagerDuty's on-calls ({@link PagerDutyStandIn}) and Jira's issues
 * ({@link JiraStandIn}), with their credentials, pages, refusals and rate limits (429 with the time
 * to wait, and a delay on demand), on a {@link RestServer}, which also opens the demo's controls on
 * a path those APIs do not have; and a fact provider of one's own ({@link HttpFactStandIn}: the
 * questions it received, answers set per fact, any answer instead). Slack's Socket Mode server side
 * ({@link SlackSocketServer}: tickets, {@code hello}, envelopes and their acknowledgements, {@code
 * disconnect}). IAM Identity Center's SSO Admin ({@link SsoAdminStandIn}: permission sets, account
 * assignments made and removed asynchronously, the roles they provision) and its identity store
 * ({@link IdentityStoreStandIn}), both stateful and on the JSON protocol, with IAM's {@code
 * ListRoles} over roles' paths ({@link RolePaths}) for the roles they provision.
 *
 * <p>The rules are stated here and not taken from stint's own AWS code ({@code mint.aws}, {@code
 * common.AwsSessionPolicy}): a stand-in is the check on that code, so it must not loosen when that
 * code does. It is development code (src/dev), in target/stint-dev.jar and the tests, never in the
 * server's jar: nothing {@code stint serve} reaches refers to this package (DemoIsolationTest).
 */
package dev.stint.standin;
