package dev.stint.directory;

/** Who made a SCIM call, as the HTTP layer saw them: for the audit record of each write. */
public record ScimCaller(String address, String userAgent) {}
