/**
 * What a revoked grant was issued, ended from the ledger through the {@code SessionRevoker} of each
 * credential's cloud, one target at a time in its turn; the revocation's progress, its events and
 * its alarm. It names no cloud.
 *
 * <p>The ledger and the cutoffs table are the revoker's {@code Records}. A task lease's revocation
 * ({@code LeaseRevocationListener}): the request's revoked leases' sessions are marked again after
 * the revoke's commit, then each target that holds one is ended the same way, and no other. One
 * handler of what ending a revocation's targets did for both ({@code RevocationTargets}): each
 * target ended in its turn, then the people collapsed and the targets widened recorded, alarmed and
 * told, naming the leases when it is theirs.
 *
 * <p>The sessions a cloud issued itself (IAM Identity Center's portal sessions) are user cutoffs on
 * their target: a revoke records the user's up to the revoke ({@code PortalCutoffs}, from {@code
 * PortalSessions}), and the package that deletes the grant's assignment records it up to the
 * deletion once the cloud has done it ({@code UnassignedSessions}, {@code DeletionDenies}), each
 * target written in its turn from every cutoff on it.
 *
 * <p>The pace of a person's own revokes, of grants and leases alike, from the ledger ({@code
 * OwnRevocations}, {@code access.RevocationPace}).
 */
package dev.stint.revocation;
