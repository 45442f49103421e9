package dev.stint.cli.audit;

/** What {@code stint audit export} writes each event as: a JSON line, or a CSV row. */
public enum ExportFormat {
  JSONL,
  CSV
}
