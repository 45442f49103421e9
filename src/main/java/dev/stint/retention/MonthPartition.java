package dev.stint.retention;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One month partition of the audit table, {@code audit_events_YYYY_MM}, holding the events stamped
 * in [{@code from}, {@code until}) UTC: the name audit_partitions_ensure gives it.
 */
record MonthPartition(String name, Instant from, Instant until) {
  private static final Pattern NAME = Pattern.compile("audit_events_(\\d{4})_(\\d{2})");

  /** The partition a table name stands for; empty for any other table. */
  static Optional<MonthPartition> of(String table) {
    Matcher m = NAME.matcher(table);
    if (!m.matches()) {
      return Optional.empty();
    }
    YearMonth month = YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    return Optional.of(
        new MonthPartition(
            table,
            month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC),
            month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)));
  }

  /** Files of its export: the partition's name and its seq range, so retries find them. */
  String exportName(long firstSeq, long lastSeq) {
    return String.format("%s-%020d-%020d", name, firstSeq, lastSeq);
  }
}
