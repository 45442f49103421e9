package dev.stint.extension;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest;
import dev.stint.access.EligibilityHolds;
import dev.stint.access.StoredRequests;
import dev.stint.common.Ids;
import dev.stint.config.DatabaseUrl;
import dev.stint.db.Database;
import dev.stint.identity.Person;
import dev.stint.testing.AuditTables;
import dev.stint.testing.HeldTable;
import dev.stint.testing.Requests;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An extension is read with its request in several statements; an approval commits the extension's
 * new state and the grant's new end together, and no read shows one without the other. The
 * requests' table is held so a read stops after the extensions, the approval commits, and then the
 * read goes on: what it shows must be as of its first statement.
 */
class ExtensionStoreReadsTest {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final Person ALICE = new Person("https://idp.test", "alice", Optional.empty());
  static Vertx vertx;
  static DatabaseUrl url;
  static Database db;
  static StoredRequests requests;
  static ExtensionStore extensions;
  final Ids ids = new Ids();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    url = TestPostgres.migratedDatabase();
    db = Database.connect(vertx, url, 8);
    requests = new StoredRequests(db.pool(), db.pipelined(), EligibilityHolds.NONE);
    extensions = new ExtensionStore(db.pool());
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
    await(vertx.close());
  }

  /** A granted request with one pending extension; the extension's id. */
  private String pendingExtension() throws Exception {
    AccessRequest draft =
        Requests.pending(ids.request())
            .profile("prod")
            .requester(ALICE)
            .reason("INC-7")
            .duration(Duration.ofHours(1))
            .approvalsRequired(1)
            .at(T0)
            .build();
    AccessRequest r =
        await(
            requests.insert(
                StoredRequests.approved(draft, ids.grant()), x -> Future.succeededFuture()));
    String id = "ext_" + r.id();
    AuditTables.execute(
        TestPostgres.asOwner(url),
        "INSERT INTO grant_extensions (id, grant_id, request_id, profile, requester_issuer,"
            + " requester_subject, duration_seconds, reason, approvals_required, state,"
            + " created_at, updated_at) SELECT '"
            + id
            + "', g.id, g.request_id, 'prod', 'https://idp.test', 'alice', 3600, 'longer', 1,"
            + " 'pending', now(), now() FROM grants g WHERE g.request_id = '"
            + r.id()
            + "'");
    return id;
  }

  /** Reads with the requests' table held while the extension's approval commits. */
  private <T> T readAcrossAnApproval(String extensionId, Supplier<Future<T>> read)
      throws Exception {
    return await(
        HeldTable.readAcross(
            url,
            "access_requests",
            read,
            "BEGIN; UPDATE grant_extensions SET state = 'approved' WHERE id = '"
                + extensionId
                + "'; UPDATE grants SET ends_at = ends_at + interval '1 hour' WHERE id ="
                + " (SELECT grant_id FROM grant_extensions WHERE id = '"
                + extensionId
                + "'); COMMIT"));
  }

  private static Instant endOfGrant(String extensionId) throws Exception {
    return await(extensions.withRequest(extensionId))
        .orElseThrow()
        .request()
        .grant()
        .orElseThrow()
        .endsAt();
  }

  @Test
  void anExtensionIsReadWithItsRequestAsOfOneMoment() throws Exception {
    String id = pendingExtension();
    Instant before = endOfGrant(id);

    ExtensionSeen read = readAcrossAnApproval(id, () -> extensions.withRequest(id)).get();

    assertThat(read.extension().state()).isEqualTo(Extension.State.PENDING);
    assertThat(read.request().grant().orElseThrow().endsAt()).isEqualTo(before);
    ExtensionSeen after = await(extensions.withRequest(id)).orElseThrow();
    assertThat(after.extension().state()).isEqualTo(Extension.State.APPROVED);
    assertThat(after.request().grant().orElseThrow().endsAt())
        .isEqualTo(before.plus(Duration.ofHours(1)));
  }

  @Test
  void aPageOfExtensionsIsReadWithTheirRequestsAsOfOneMoment() throws Exception {
    String id = pendingExtension();
    Instant before = endOfGrant(id);

    ExtensionStore.Page page =
        readAcrossAnApproval(id, () -> extensions.list(true, 50, Optional.empty()));

    ExtensionSeen read =
        page.extensions().stream()
            .filter(l -> l.extension().id().equals(id))
            .findFirst()
            .orElseThrow();
    assertThat(read.extension().state()).isEqualTo(Extension.State.PENDING);
    assertThat(read.request().grant().orElseThrow().endsAt()).isEqualTo(before);
  }
}
