package dev.stint.ledger;

import dev.stint.audit.EventRows;
import dev.stint.common.ParameterValues;
import dev.stint.common.Timestamps;
import dev.stint.ledger.LedgerCredential.Stored;
import dev.stint.mint.Receipt;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/** The one mapping between {@code credentials} rows and the ledger's types. */
public final class LedgerRows {
  static final String COLUMNS =
      "id, event_id, grant_id, request_id, ci_rule, holder_issuer,"
          + " holder_subject, profile, cloud, target, access_key_id, fingerprint, session_name,"
          + " source_identity, revocable, issued_at, expires_at, token_id, token_tenant,"
          + " token_looked_up, parameters, narrowed_policy_sha256, lease_id";
  static final String READ_COLUMNS = COLUMNS + ", state, ended_at, cut_at";

  /**
   * Every entry of one audit batch as one statement, one array per column, so the batch stays one
   * transaction with one more statement in its pipeline, however many credentials it holds.
   */
  static final String INSERT_ALL =
      "INSERT INTO credentials ("
          + COLUMNS
          + ") SELECT *"
          + " FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[],"
          + " $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],"
          + " $14::text[], $15::boolean[], $16::timestamptz[], $17::timestamptz[], $18::text[],"
          + " $19::text[], $20::boolean[], $21::jsonb[], $22::text[], $23::text[])";

  private static final int TEXT_COLUMNS = 12;

  /**
   * The ledger's rows as the audit log writes them, each in the transaction of its {@code
   * credential.issued} event, whose id and time it takes.
   */
  public static final EventRows<LedgerEntry> ISSUED =
      new EventRows<>() {
        @Override
        public String insertAll() {
          return INSERT_ALL;
        }

        @Override
        public Tuple parameters(List<EventRows.Attached<LedgerEntry>> rows) {
          return toArrays(rows);
        }
      };

  private LedgerRows() {}

  /** The ledger's row of a credential, to append with the event that records its issue. */
  public static EventRows.Row<LedgerEntry> issued(LedgerEntry entry) {
    return ISSUED.row(entry);
  }

  /** The parameters of {@link #INSERT_ALL}. */
  static Tuple toArrays(List<EventRows.Attached<LedgerEntry>> rows) {
    int n = rows.size();
    String[] ids = new String[n];
    UUID[] events = new UUID[n];
    String[][] text = new String[TEXT_COLUMNS][n];
    Boolean[] revocable = new Boolean[n];
    OffsetDateTime[] issued = new OffsetDateTime[n];
    OffsetDateTime[] expires = new OffsetDateTime[n];
    String[] tokenIds = new String[n];
    String[] tokenTenants = new String[n];
    Boolean[] tokenLookedUp = new Boolean[n];
    JsonObject[] parameters = new JsonObject[n];
    String[] policyHashes = new String[n];
    String[] leases = new String[n];
    for (int i = 0; i < n; i++) {
      LedgerEntry e = rows.get(i).value();
      Receipt r = e.receipt();
      ids[i] = e.id();
      events[i] = rows.get(i).eventId();
      String[] row = {
        e.basis().grantId().orElse(null),
        e.basis().requestId().orElse(null),
        e.basis().ciRule().orElse(null),
        e.holder().issuer(),
        e.holder().subject(),
        e.profile(),
        r.cloud(),
        r.target(),
        r.accessKeyId().orElse(null),
        r.fingerprint().orElse(null),
        r.sessionName().orElse(null),
        r.sourceIdentity().orElse(null)
      };
      for (int c = 0; c < TEXT_COLUMNS; c++) {
        text[c][i] = row[c];
      }
      revocable[i] = r.revocable();
      issued[i] = Timestamps.utc(rows.get(i).occurredAt());
      expires[i] = Timestamps.utc(r.expiresAt());
      tokenIds[i] = r.tokenId().map(Receipt.TokenId::id).orElse(null);
      tokenTenants[i] = r.tokenId().flatMap(Receipt.TokenId::tenant).orElse(null);
      tokenLookedUp[i] = r.tokenId().map(Receipt.TokenId::lookedUp).orElse(null);
      parameters[i] = e.narrowing().isNarrowed() ? parametersJson(e.narrowing().values()) : null;
      policyHashes[i] = e.narrowing().policySha256().orElse(null);
      leases[i] = e.basis().leaseId().orElse(null);
    }
    Tuple t = Tuple.tuple().addArrayOfString(ids).addArrayOfUUID(events);
    for (String[] column : text) {
      t.addArrayOfString(column);
    }
    return t.addArrayOfBoolean(revocable)
        .addArrayOfOffsetDateTime(issued)
        .addArrayOfOffsetDateTime(expires)
        .addArrayOfString(tokenIds)
        .addArrayOfString(tokenTenants)
        .addArrayOfBoolean(tokenLookedUp)
        .addArrayOfJsonObject(parameters)
        .addArrayOfString(policyHashes)
        .addArrayOfString(leases);
  }

  private static JsonObject parametersJson(ParameterValues values) {
    return new JsonObject(new LinkedHashMap<>(values.values()));
  }

  private static LedgerEntry.Narrowing narrowing(Row row) {
    Object stored = row.getValue("parameters");
    Map<String, String> values = new TreeMap<>();
    if (stored instanceof JsonObject object) {
      object.forEach(e -> values.put(e.getKey(), String.valueOf(e.getValue())));
    }
    return new LedgerEntry.Narrowing(
        ParameterValues.of(values), text(row, "narrowed_policy_sha256"));
  }

  static LedgerCredential fromRow(Row row) {
    Receipt receipt =
        new Receipt(
            row.getString("cloud"),
            row.getString("target"),
            text(row, "access_key_id"),
            text(row, "fingerprint"),
            text(row, "session_name"),
            text(row, "source_identity"),
            instant(row, "expires_at"),
            row.getBoolean("revocable"),
            text(row, "token_id")
                .map(
                    id ->
                        new Receipt.TokenId(
                            id, text(row, "token_tenant"), row.getBoolean("token_looked_up"))));
    LedgerEntry entry =
        new LedgerEntry(
            row.getString("id"),
            new LedgerEntry.Basis(
                text(row, "grant_id"),
                text(row, "request_id"),
                text(row, "ci_rule"),
                text(row, "lease_id")),
            new LedgerEntry.Holder(row.getString("holder_issuer"), row.getString("holder_subject")),
            row.getString("profile"),
            receipt,
            narrowing(row));
    return new LedgerCredential(
        entry,
        instant(row, "issued_at"),
        Stored.valueOf(row.getString("state").toUpperCase(Locale.ROOT)),
        Optional.ofNullable(row.getOffsetDateTime("ended_at")).map(OffsetDateTime::toInstant),
        Optional.ofNullable(row.getOffsetDateTime("cut_at")).map(OffsetDateTime::toInstant));
  }

  private static Instant instant(Row row, String column) {
    return row.getOffsetDateTime(column).toInstant();
  }

  private static Optional<String> text(Row row, String column) {
    return Optional.ofNullable(row.getString(column));
  }
}
