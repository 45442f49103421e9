/**
 * Notifications of committed changes: signed webhooks, Teams, and the Slack app ({@code
 * notify.slack}), one outbox listener per receiver, and the alarms.
 *
 * <p>Access reviews' openings and reminders go to the channel and linked reviewers ({@code
 * slack.SlackReviewNews}, implementing {@code review.ReviewNews}).
 */
package dev.stint.notify;
