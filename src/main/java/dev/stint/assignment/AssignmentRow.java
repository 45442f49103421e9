package dev.stint.assignment;

import dev.stint.cloud.AccountAssignment;
import dev.stint.identity.Person;
import dev.stint.mint.Assigner.Endpoints;
import java.util.Optional;

/**
 * One grant's row of {@code identity_center_assignments}: where its assignment is (and where the
 * instance's APIs were reached when it started), whose user it is, how far it has gone, whether
 * stint made it, and AWS's id of the change in progress.
 */
record AssignmentRow(
    String grantId,
    String requestId,
    AccountAssignment at,
    Optional<String> userName,
    Optional<String> userId,
    AssignmentState state,
    boolean stintCreated,
    Optional<String> requestToken,
    Optional<String> reason,
    Endpoints endpoints,
    Person holder) {}
