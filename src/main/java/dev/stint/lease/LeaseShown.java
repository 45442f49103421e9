package dev.stint.lease;

import dev.stint.access.AccessRequest;
import dev.stint.ledger.LedgerCredential;
import java.util.List;

/** A lease with its request and the credentials minted on it, oldest first. */
public record LeaseShown(Lease lease, AccessRequest request, List<LedgerCredential> credentials) {}
