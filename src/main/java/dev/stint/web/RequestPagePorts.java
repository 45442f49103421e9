package dev.stint.web;

import dev.stint.access.Approvers;
import dev.stint.access.Bundles;
import dev.stint.access.Decisions;
import dev.stint.access.Requests;
import dev.stint.audit.AuditViews;
import dev.stint.issuance.ConsoleService;
import dev.stint.policy.PolicyInForce;

/** The access ports and use cases the request pages call. */
record RequestPagePorts(
    Requests requests,
    Decisions decisions,
    Approvers approvers,
    Bundles bundles,
    ConsoleService console,
    AuditViews audit,
    PolicyInForce policies) {}
