package dev.stint.policy;

import dev.stint.identity.Person;
import java.time.Instant;

/**
 * A request someone already made, as the policy sees it when asked who may act on it: who made it,
 * for which profile, what they asked for (the approvers' conditions may read it) and when it was
 * made ({@code filedAt}: escalation widens the approvers of a request that has waited). Where the
 * request stands (pending, approved, ended) is not here: the state machines own that.
 */
public record FiledRequest(Person requester, String profile, RequestFacts facts, Instant filedAt) {}
