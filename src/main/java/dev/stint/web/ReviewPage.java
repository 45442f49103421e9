package dev.stint.web;

import dev.stint.identity.Person;
import dev.stint.review.Review;
import dev.stint.review.ReviewItem;
import dev.stint.review.ReviewProgress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/**
 * An access review's page, drawn from the one {@link Review} the use case answers (every item and
 * its evidence already in it, so 500 people are one table and no query per row): the header, then
 * one row per person with why they are eligible, their use, the suggestion and the decision. A
 * reviewer of the profile, while the review is open, gets a checkbox and Keep / Remove on each
 * undecided row that is not their own, and one form that decides the rows selected; the server
 * checks every item again when it is posted.
 */
final class ReviewPage {
  /** The selection form's id: each row's checkbox belongs to it through {@code form=}. */
  static final String SELECTION = "decide-selected";

  /** A comment's most characters, as the use case takes it. */
  static final int MAX_COMMENT = 500;

  /** Who is looking: their person, and whether they review this review's profile now. */
  record Reader(Visitor visitor, Person person, boolean reviewer) {}

  private ReviewPage() {}

  /**
   * A short, stable name of {@code p} for the forms: the base64url of the first 12 bytes of SHA-256
   * over issuer and subject. Short so a selection of every row stays far inside the body limit, and
   * about the person rather than the row's position, so a form can only ever name who it showed.
   */
  static String key(Person p) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((p.issuer() + "\n" + p.subject()).getBytes(StandardCharsets.UTF_8));
      byte[] head = new byte[12];
      System.arraycopy(digest, 0, head, 0, head.length);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(head);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Whether {@code reader} may decide {@code item} of {@code r} from this page. */
  static boolean decidable(Review r, ReviewItem item, Reader reader) {
    return reader.reviewer()
        && r.state() == Review.State.OPEN
        && item.decision().isEmpty()
        && !item.person().mightBe(reader.person());
  }

  /** The page's body; {@code refusal} is why the last decision posted was refused, if it was. */
  static Html body(Review r, Reader reader, Optional<String> refusal, Html unused) {
    boolean any = r.items().stream().anyMatch(i -> decidable(r, i, reader));
    return Html.of(
        """
        {}
        {}
        <p><a href="/ui/access-reviews/{}/export.csv">Download CSV</a> · \
        <a href="/ui/access-reviews/{}/export.json">Download JSON</a></p>
        {}
        <section aria-labelledby="ppl-h"><h2 id="ppl-h">People ({})</h2>{}</section>
        {}""",
        refusal
            .map(d -> Html.of("<p class=\"error\" role=\"alert\">Nothing was decided: {}</p>", d))
            .orElse(Html.empty()),
        header(r),
        r.id(),
        r.id(),
        Html.when(any, () -> selectionForm(r, reader.visitor())),
        r.items().size(),
        table(r, reader, any),
        unused);
  }

  static Html header(Review r) {
    ReviewProgress p = ReviewProgress.of(r);
    return Html.of(
        """
        <dl class="facts">
        <dt>Profile</dt><dd>{}</dd>
        <dt>State</dt><dd><span class="state state-{}">{}</span></dd>
        <dt>Opened</dt><dd>{} by {}</dd>
        <dt>Evidence from</dt><dd>{}</dd>
        <dt>Due</dt><dd>{}</dd>
        <dt>When overdue</dt><dd>{}</dd>
        {}
        <dt>Progress</dt><dd><progress max="{}" value="{}">{} of {}</progress> {}</dd>
        </dl>""",
        r.profile(),
        r.state().code(),
        r.state().code(),
        Show.time(r.openedAt()),
        r.openedBy().map(Show::person).orElse("the schedule"),
        Show.time(r.periodStart()),
        Show.time(r.dueAt()),
        overdue(r),
        r.closed()
            .map(
                c ->
                    Html.of(
                        "<dt>Closed</dt><dd>{} ({})</dd>",
                        Show.time(c.at()),
                        c.how() == Review.Closed.How.DECIDED
                            ? "every person decided"
                            : "due, the rest decided by when_overdue"))
            .orElse(Html.empty()),
        Math.max(p.total(), 1),
        p.decided(),
        p.decided(),
        p.total(),
        progress(p));
  }

  /** Decided of total, with how many kept and removed. */
  static String progress(ReviewProgress p) {
    return p.decided()
        + " of "
        + p.total()
        + " decided: "
        + p.kept()
        + " kept, "
        + p.removed()
        + " removed";
  }

  private static String overdue(Review r) {
    return switch (r.whenOverdue()) {
      case KEEP -> "keep: whoever is undecided at the due date stays eligible";
      case SUSPEND -> "suspend: whoever is undecided at the due date is removed";
    };
  }

  private static Html selectionForm(Review r, Visitor v) {
    return Html.of(
        """
        <form id="{}" method="post" action="/ui/access-reviews/{}/decisions" class="stack">{}
        <label for="sel-comment">Comment for the selected people (optional)</label>
        <input type="text" id="sel-comment" name="comment" maxlength="{}">
        <div class="buttons">
        <button type="submit" name="action" value="keep">Keep selected</button>
        <button type="submit" name="action" value="remove" class="revoke">Remove selected</button>
        <button type="submit" name="action" value="suggested">Follow the suggestion for \
        selected</button>
        </div>
        <p class="hint">All or nothing: if one selected person cannot be decided, none is. \
        A removal suspends that person's eligibility for {} and ends their live grants of it.</p>
        </form>""",
        SELECTION,
        r.id(),
        Layout.csrfField(v),
        MAX_COMMENT,
        r.profile());
  }

  private static Html table(Review r, Reader reader, boolean selectable) {
    if (r.items().isEmpty()) {
      return Html.of("<p class=\"muted\">Nobody was eligible when this review opened.</p>");
    }
    return Html.of(
        """
        <div class="scroll"><table class="cards review">
        <thead><tr>{}<th scope="col">Person</th><th scope="col">Eligible by</th>\
        <th scope="col">Grants</th><th scope="col">Last credential</th><th scope="col">Calls</th>\
        <th scope="col">Unused grants</th><th scope="col">Suggestion</th>\
        <th scope="col">Decision</th></tr></thead>
        <tbody>{}</tbody></table></div>""",
        Html.when(
            selectable,
            () -> Html.of("<th scope=\"col\"><span class=\"visually-hidden\">Select</span></th>")),
        Html.each(r.items(), i -> row(r, i, reader, selectable)));
  }

  private static Html row(Review r, ReviewItem i, Reader reader, boolean selectable) {
    boolean decidable = decidable(r, i, reader);
    String key = key(i.person());
    ReviewItem.Evidence e = i.evidence();
    return Html.of(
        """
        <tr>{}<td class="id" data-label="Person">{}<br><span class="muted">{}</span>{}</td>
        <td data-label="Eligible by">{}</td><td data-label="Grants">{}</td>
        <td data-label="Last credential">{}</td><td data-label="Calls">{}</td>
        <td data-label="Unused grants">{}{}</td>
        <td class="reason" data-label="Suggestion">{}<br><span class="muted">{}</span></td>
        <td data-label="Decision">{}</td></tr>
        """,
        Html.when(
            selectable,
            () ->
                Html.of(
                    "<td>{}</td>",
                    Html.when(
                        decidable,
                        () ->
                            Html.of(
                                "<input type=\"checkbox\" form=\"{}\" name=\"item\" value=\"{}\""
                                    + " aria-label=\"Select {}\">",
                                SELECTION,
                                key,
                                Show.person(i.person()))))),
        i.person().email().orElse("no email"),
        i.person().subject(),
        Html.when(
            i.suspended(),
            () -> Html.of(" <span class=\"badge\">suspended by an earlier review</span>")),
        eligibleBy(i.eligibleBy()),
        e.grants(),
        e.lastMinted().map(Show::time).orElse(Html.of("never")),
        e.calls(),
        e.unusedGrants(),
        unseen(e),
        i.suggestion().choice().code(),
        i.suggestion().why(),
        decision(r, i, reader, decidable, key));
  }

  /** How many of the unused grants could have made calls stint cannot see. */
  private static Html unseen(ReviewItem.Evidence e) {
    if (e.unusedUnseen().isEmpty()) {
      return Html.when(
          e.unusedGrants() > 0,
          () -> Html.of("<br><span class=\"muted\">what stint could see was not counted</span>"));
    }
    int n = e.unusedUnseen().get();
    return Html.when(
        n > 0, () -> Html.of("<br><span class=\"muted\">{} with calls stint cannot see</span>", n));
  }

  private static Html eligibleBy(ReviewItem.EligibleBy by) {
    return Html.of(
        "<code>{}</code><br><span class=\"muted\">groups: {}; judged from {}{}</span>",
        by.rule(),
        by.groups().isEmpty() ? "none" : String.join(", ", by.groups()),
        "directory".equals(by.basis()) ? "the directory" : "their claims",
        by.conditionalOn().isEmpty()
            ? Html.empty()
            : Html.of("; only when: {}", String.join(", ", by.conditionalOn())));
  }

  private static Html decision(
      Review r, ReviewItem i, Reader reader, boolean decidable, String key) {
    if (i.decision().isPresent()) {
      ReviewItem.Decision d = i.decision().get();
      return Html.of(
          "<strong>{}</strong> by {}, {}{}",
          d.choice().code(),
          d.by().map(Show::person).orElse(d.overdue() ? "the due date (when_overdue)" : "—"),
          Show.time(d.at()),
          d.comment()
              .map(c -> Html.of("<br><span class=\"reason\">{}</span>", c))
              .orElse(Html.empty()));
    }
    if (decidable) {
      return rowForm(r, i, reader.visitor(), key);
    }
    if (reader.reviewer()
        && i.person().mightBe(reader.person())
        && r.state() == Review.State.OPEN) {
      return Html.of("<span class=\"muted\">undecided: yours, another reviewer decides</span>");
    }
    return Html.of("<span class=\"muted\">undecided</span>");
  }

  private static Html rowForm(Review r, ReviewItem i, Visitor v, String key) {
    return Html.of(
        """
        <form method="post" action="/ui/access-reviews/{}/decisions" class="inline">{}
        <input type="hidden" name="item" value="{}">
        <label class="visually-hidden" for="c-{}">Comment on {}</label>
        <input type="text" id="c-{}" name="comment" maxlength="{}" placeholder="comment">
        <button type="submit" name="action" value="keep">Keep</button>
        <button type="submit" name="action" value="remove" class="revoke">Remove</button>
        </form>""",
        r.id(),
        Layout.csrfField(v),
        key,
        key,
        Show.person(i.person()),
        key,
        MAX_COMMENT);
  }
}
