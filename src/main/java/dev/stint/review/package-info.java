/**
 * Access reviews: a profile's {@code access_review}, opened on schedule or by an admin, in which
 * its reviewers keep or remove each person who may request it.
 *
 * <p>Opening ({@code ReviewOpening}): one item per person eligible at that moment, from the
 * directory's active users where SCIM is on, else the people seen, judged by the profile's {@code
 * requesters} rule ahead of any request ({@code Candidates}, {@code DirectoryPrincipals}, which the
 * eligibility report shares), with the evidence of use beside each name from {@code
 * activity.ProfileUsage} and {@code ledger.MintHistory} and a suggestion ({@code Suggestions},
 * never {@code remove} on grants whose calls stint could not all see).
 *
 * <p>Who may open, read and decide is {@code policy.ReviewRights}'s answer, raised through {@code
 * Decision.refusal}. Reading ({@code ReviewReading}: admins, auditors and the profile's reviewers).
 * Deciding ({@code ReviewDeciding}): all or none, never one's own item, and the due date's {@code
 * when_overdue} as recorded at opening. A removal suspends the person's eligibility ({@code
 * Suspensions}, which implements {@code access.EligibilityHolds}, asked in each request's insert in
 * the person's turn for the profile) and ends their live grants and pending requests of it through
 * {@code access.Leavers.endOn} in the decision's transaction. An admin's restore, never of their
 * own suspension ({@code Restoring}, asking {@code policy.ReviewRights}).
 *
 * <p>The CSV export ({@code ReviewCsv}) and the audit events. Reviewers are told of a review
 * opening and, once, nearly due, through the port {@code ReviewNews} ({@code notify.slack}
 * implements it; {@code NONE} without Slack) after the sweep claims each message in {@code
 * access_reviews} ({@code ReviewNotices}).
 *
 * <p>Its face: the ports {@code Reviewing} (the routes and pages) and {@code ReviewSweeps} (the
 * timers), with the values they carry ({@code Review}, {@code ReviewItem}, {@code ReviewSummary},
 * {@code ReviewProgress}, {@code ReviewerChoice}, {@code Restored}); {@code Reviews} assembles them
 * for {@code app} alone ({@code FeaturePortsTest}).
 */
package dev.stint.review;
