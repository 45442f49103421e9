package dev.stint.extension;

import dev.stint.access.AccessRequest;

/** A pending extension with its request, and whether the caller could decide it now. */
public record WaitingExtension(Extension extension, AccessRequest request, boolean mayDecide) {}
