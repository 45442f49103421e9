package dev.stint.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A template filled with a request's values: compact JSON, every character outside ASCII written as
 * a JSON escape. {@link #sha256()} names it in the ledger and the audit without repeating it.
 */
public record FilledDocument(String json) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Two spaces a level, a line per member and element, line breaks {@code \n} on every platform;
   * outside ASCII still escaped, so what approvers read is what the compact document says.
   */
  private static final ObjectWriter PRETTY =
      JSON.writer(
              new DefaultPrettyPrinter()
                  .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                  .withArrayIndenter(new DefaultIndenter("  ", "\n")))
          .with(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());

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

  /**
   * The same document indented for people to read (the request page, the approvers' messages). Only
   * whitespace between tokens differs: {@link #sha256()} is of the compact form, never this.
   *
   * @throws IllegalStateException if the JSON this holds cannot be read (it was written by the JSON
   *     writer when filled, or read back from the request's row)
   */
  public String pretty() {
    try {
      return PRETTY.writeValueAsString(JSON.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a filled document is not JSON", e);
    }
  }
}
