/**
 * Facts from the systems a policy may consult at decision time: who is on call now in a PagerDuty
 * schedule ({@link OnCallDirectory}), a ticket as Jira has it ({@link TicketTracker}), and the
 * answers of the server's own providers ({@link FactProvider}), each looked up with a timeout,
 * answers cached for a short while, a failure never a grant. {@link PagerDutyOnCalls} and {@link
 * JiraTickets} look them up over those systems' REST APIs, {@link HttpFacts} by a POST of the
 * decision's person and request to a URL of one's own.
 */
package dev.stint.facts;
