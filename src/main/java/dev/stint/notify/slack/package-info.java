/**
 * The Slack app: its channel messages ({@code SlackMessage}, built of {@code SlackBlocks}),
 * requesters' direct messages, its clicks (signed calls, or Socket Mode envelopes over stint's own
 * WebSocket, {@code SlackSocket}) and account links ({@code SlackLinking}).
 *
 * <p>Every value a person or identity provider supplied is escaped ({@code SlackText}); each click
 * is audited; a message is updated in place wherever it was posted ({@code SlackPosts}).
 */
package dev.stint.notify.slack;
