package dev.stint.agent;

import dev.stint.access.Requests;
import dev.stint.identity.Directory;
import dev.stint.lease.LeaseAsks;
import dev.stint.lease.RevokesAsStint;
import dev.stint.policy.PolicyInForce;

/**
 * What agents stand on: the people-facing requests (a person's grants), the leases' asks and their
 * ending as stint, the policy in force, and the directory a person's stored claims are admitted
 * through.
 */
public record AgentNeeds(
    Requests requests,
    LeaseAsks asks,
    RevokesAsStint ending,
    PolicyInForce policies,
    Directory directory) {}
