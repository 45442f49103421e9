package dev.stint.extension;

import dev.stint.access.AccessRequest;

/** One extension and its request, read together as of one moment (no lock: for showing them). */
public record ExtensionSeen(AccessRequest request, Extension extension) {}
