package dev.stint.common;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A template filled with a request's values: compact JSON, every character outside ASCII written as
 * a JSON escape. {@link #sha256()} names it in the ledger and the audit without repeating it.
 */
public record FilledDocument(String json) {
  public FilledDocument {
    Objects.requireNonNull(json, "json");
  }

  /** The compact JSON's length in characters: what AWS counts against its session policy limit. */
  public int length() {
    return json.length();
  }

  /** The lowercase hex SHA-256 of the compact JSON's UTF-8 bytes. */
  public String sha256() {
    return Fingerprints.sha256Hex(json.getBytes(StandardCharsets.UTF_8));
  }
}
