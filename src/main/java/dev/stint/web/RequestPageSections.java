package dev.stint.web;

import dev.stint.finding.FindingReading;

/** The parts of a request page that other pages' classes read and draw. */
record RequestPageSections(
    ExtensionPages extensions,
    IssuedSection issued,
    ActivitySection activity,
    LeaseSection leases,
    FindingReading findings) {}
