/**
 * Right-sizing from evidence (docs/policies.md): the session policy each AWS profile really needs,
 * from the calls its own credentials made that the cloud allowed ({@code activity.ProfileCalls},
 * kept as the calls are kept), with IAM's action names read from data ({@link
 * dev.stint.rightsize.IamActions}, {@code iam-actions.tsv}, from the AWS Service Authorization
 * Reference and iann0036/iam-dataset's map) and the resources the records name. stint proves the
 * suggestion is within today's session policy ({@code common.AwsPolicyContainment}, the lease
 * containment proof) and allows every observed call ({@code common.AwsPolicyAllows}), and lists
 * today's action patterns nobody used. Read by auditors and admins ({@link
 * dev.stint.rightsize.Suggestions}), every other caller refused and recorded; the unused patterns
 * also for an access review's page.
 */
package dev.stint.rightsize;
