/**
 * Facts from the systems a policy may consult at decision time: who is on call now in a PagerDuty
 * schedule ({@link OnCallDirectory}), a ticket as Jira has it ({@link TicketTracker}), each looked
 * up with a timeout, answers cached for a short while, a failure never a grant.
 */
package dev.stint.facts;
