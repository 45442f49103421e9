package dev.stint.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes audit events as they arrive. JSON lines are the server's objects unchanged (an auditor can
 * recompute every hash from them, see docs/audit.md); CSV has one column per field with {@code
 * details} as JSON, quoted per RFC 4180, and text cells that a spreadsheet would run as a formula
 * prefixed with {@code '}.
 */
final class AuditRowWriter {
  static final List<String> COLUMNS =
      List.of(
          "seq",
          "event_id",
          "occurred_at",
          "type",
          "actor_issuer",
          "actor_subject",
          "actor_email",
          "request_id",
          "grant_id",
          "profile",
          "cloud",
          "target",
          "outcome",
          "reason",
          "client_address",
          "user_agent",
          "details",
          "prev_hash",
          "hash");

  private final ExportFormat format;
  private final Writer out;
  private boolean headerWritten;

  AuditRowWriter(ExportFormat format, Writer out) {
    this.format = format;
    this.out = out;
  }

  void write(JsonNode event) throws IOException {
    if (format == ExportFormat.JSONL) {
      out.write(event.toString());
      out.write('\n');
      return;
    }
    if (!headerWritten) {
      out.write(String.join(",", COLUMNS));
      out.write("\r\n");
      headerWritten = true;
    }
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < COLUMNS.size(); i++) {
      JsonNode v = event.path(COLUMNS.get(i));
      String cell =
          v.isNull() || v.isMissingNode() ? "" : v.isValueNode() ? v.asText() : v.toString();
      line.append(i == 0 ? "" : ",").append(csv(cell, v.isTextual()));
    }
    out.write(line.append("\r\n").toString());
  }

  static String csv(String cell, boolean text) {
    String safe =
        text && !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0 ? "'" + cell : cell;
    if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
      return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
    return safe;
  }
}
