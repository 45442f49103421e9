package dev.stint.http;

import dev.stint.assignment.AssignmentStates;
import dev.stint.revocation.RevocationStatus;

/**
 * What a request's page of the API shows of its grant besides the grant itself: how far its
 * revocation has come, and where an Identity Center grant's account assignment stands.
 */
public record GrantViews(RevocationStatus revocations, AssignmentStates assignments) {}
