package dev.stint.web;

import dev.stint.access.AccessRequest;
import dev.stint.access.Grant;
import dev.stint.ledger.Ledger;
import dev.stint.ledger.LedgerCredential;
import dev.stint.mint.Receipt;
import dev.stint.revocation.RevocationStatus;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The part of a request page that says what was issued on its grant, from the credentials ledger,
 * and, once the grant is revoked, how far its revocation has come.
 */
final class IssuedSection {
  private final Ledger ledger;
  private final RevocationStatus revocations;
  private final Clock clock;

  IssuedSection(Ledger ledger, RevocationStatus revocations, Clock clock) {
    this.ledger = ledger;
    this.revocations = revocations;
    this.clock = clock;
  }

  /** The section for {@code r}: empty before it has a grant. */
  Future<Html> of(AccessRequest r) {
    if (r.grant().isEmpty()) {
      return Future.succeededFuture(Html.empty());
    }
    Grant g = r.grant().get();
    Instant now = clock.instant();
    Future<List<LedgerCredential>> issued = ledger.ofGrant(g.id());
    Future<Html> revocation =
        g.revocation().isEmpty()
            ? Future.succeededFuture(Html.empty())
            : revocations.of(g, g.revocation().get().at(), now).map(IssuedSection::revocation);
    return Future.all(issued, revocation)
        .map(
            x ->
                Html.of(
                    "<section aria-labelledby=\"crd-h\">"
                        + "<h2 id=\"crd-h\">Credentials issued</h2>{}{}</section>",
                    revocation.result(),
                    table(issued.result(), now)));
  }

  private static Html revocation(RevocationStatus.Status s) {
    return Html.of(
        "<p class=\"revocation\"><strong>Revocation: {}</strong> · {}</p>",
        s.stage().code().replace('_', ' '),
        s.note());
  }

  private static Html table(List<LedgerCredential> issued, Instant now) {
    if (issued.isEmpty()) {
      return Html.of("<p class=\"muted\">None issued on this grant.</p>");
    }
    return Html.of(
        // Cards on a phone (stint.css): six columns of ids and times do not fit 390 px.
        "<div class=\"scroll\"><table class=\"cards\"><thead><tr><th>Credential</th><th>Target</th>"
            + "<th>Key or fingerprint</th><th>Issued</th><th>Expires</th><th>State</th></tr></thead>"
            + "<tbody>{}</tbody></table></div>",
        Html.each(
            issued,
            c -> {
              Receipt r = c.entry().receipt();
              return Html.of(
                  "<tr><td class=\"id\" data-label=\"Credential\">{}</td>"
                      + "<td class=\"id\" data-label=\"Target\">{}</td>"
                      + "<td class=\"id\" data-label=\"Key or fingerprint\">{}</td>"
                      + "<td data-label=\"Issued\">{}</td><td data-label=\"Expires\">{}</td>"
                      + "<td data-label=\"State\">{}</td></tr>",
                  c.entry().id(),
                  r.target(),
                  r.accessKeyId().or(r::fingerprint).orElse(""),
                  Show.time(c.issuedAt()),
                  Show.time(r.expiresAt()),
                  c.stateAt(now).code());
            }));
  }
}
