/**
 * Findings: rules that read each credential's calls as they are kept and flag what leaves what was
 * approved (docs/findings.md). The rules themselves are pure ({@code finding.rules}); this package
 * keeps the queue the migrations fill in each keep's transaction, the baselines, the findings and
 * what follows them (the audit, ending a lease or a grant, the notices), and reads them for the API
 * and the pages.
 *
 * <p>The rules are pure over records ({@code finding.rules}: {@code escape}, {@code
 * privilege_escalation} with a compute create's named role as {@code iam:PassRole}, {@code
 * logging_off}, the bursts, {@code new_service}, {@code new_region}, {@code new_network}, {@code
 * volume}; a CloudTrail event as its IAM action; the {@code History} a batch is judged against; the
 * {@code Evaluation} that judges a batch in order). The queue is filled in each keep's transaction
 * ({@code finding_queue}, V50's trigger on {@code activity_events}, so {@code activity} knows
 * nothing of findings and only pokes through {@code GrantActivity.afterKeep}). The baselines are
 * kept as calls are judged ({@code BaselineStore}, {@code BaselineWrites}); the judging transaction
 * takes one replica's turn at a time and judges each call once ({@code Judging}, run by {@code
 * FindingWorker}): whose key made each call is read from the ledger ({@code Ledger.some}), or, for
 * an IAM Identity Center grant's portal session, whose portal access it is ({@code
 * activity.PortalAccess.origins}).
 *
 * <p>Each finding has the mode, severity and action the policy in force gave it ({@code Finding}),
 * and what follows it goes on an outbox of its own ({@code FindingActs}: {@code finding.raised},
 * the action through the port {@code FindingEnds}, which {@code app} joins from {@code
 * lease.LeaseEnding.revokeAsStint} and {@code access.Leavers.revokeGrant}, then {@code
 * finding.acted}); the port {@code FindingNews} a notifier implements; the reads ({@code
 * FindingReading}: a request's and a lease's as the request is visible, every finding for
 * auditors), assembled as {@code FindingService}.
 */
package dev.stint.finding;
