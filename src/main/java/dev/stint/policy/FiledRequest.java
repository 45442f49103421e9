package dev.stint.policy;

import dev.stint.identity.Person;

/**
 * A request someone already made, as the policy sees it when asked who may act on it: who made
 * it, for which profile, and what they asked for (the approvers' conditions may read it). Where
 * the request stands (pending, approved, ended) is not here: the state machines own that.
 */
public record FiledRequest(Person requester, String profile, RequestFacts facts) {}
