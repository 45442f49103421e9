/**
 * Facts from the systems a policy may consult at decision time: who is on call now in a PagerDuty
 * schedule ({@link OnCallDirectory}), a ticket as Jira has it ({@link TicketTracker}), and the
 * answers of the server's own providers ({@link FactProvider}), each looked up with a timeout,
 * answers cached for a short while, a failure never a grant. {@link PagerDutyOnCalls} and {@link
 * JiraTickets} look them up over those systems' REST APIs, {@link HttpFacts} by a POST of the
 * decision's person and request to a URL of one's own, a JSON boolean back.
 *
 * <p>Concurrent lookups of one key make one call, and a source that throttled is left alone until
 * it says; a failure is a message that never holds the source's token. A decision's facts are
 * gathered here ({@link FactGatherer}) into {@code policy}'s {@code FactValues}, which the
 * conditions read; the requests use cases ({@code access}) ask through the port {@link FactSource},
 * which says that no provider is configured when none is ({@code FactSource.NONE}).
 */
package dev.stint.facts;
