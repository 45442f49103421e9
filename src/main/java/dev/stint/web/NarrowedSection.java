package dev.stint.web;

import dev.stint.access.AccessRequest;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.common.FilledDocument;
import java.util.List;
import java.util.Map;

/**
 * What a request on a narrowed profile is narrowed to, drawn on its page above what can be done to
 * it: each parameter's value, and the policy they fill exactly as its grant will be minted on it,
 * indented, with the SHA-256 the ledger and the audit name it by. An approver reads what they
 * approve here, not in the template. Values and policy are text like any request's: escaped.
 */
final class NarrowedSection {
  private NarrowedSection() {}

  /** Nothing for a request on a profile without parameters. */
  static Html of(Narrowed n) {
    if (!n.isNarrowed()) {
      return Html.empty();
    }
    List<Map.Entry<String, String>> values = List.copyOf(n.values().values().entrySet());
    return Html.of(
        """
        <section aria-labelledby="narrowed-h"><h2 id="narrowed-h">Narrowed to</h2>
        <dl class="facts">{}</dl>
        {}</section>""",
        Html.each(
            values, v -> Html.of("<dt>{}</dt><dd><code>{}</code></dd>", v.getKey(), v.getValue())),
        n.policy()
            .map(NarrowedSection::policy)
            .orElse(Html.of("<p class=\"muted\">No policy was filled with these values.</p>")));
  }

  /**
   * On a list, beside the Approve button that approves {@code decided} (one request, or every
   * request of a bundle): each narrowed one's values and the policy they fill, open, so that what
   * the button grants is read before it is pressed, not on another page. Nothing when none of them
   * is narrowed.
   */
  static Html beside(List<AccessRequest> decided) {
    return Html.each(
        decided.stream().filter(r -> r.narrowed().isNarrowed()).toList(),
        r ->
            Html.of(
                """
                <div class="narrowed"><p>Approving grants <strong>{}</strong> narrowed to {}</p>
                {}</div>""",
                r.profile(),
                Html.each(
                    List.copyOf(r.narrowed().values().values().entrySet()),
                    v -> Html.of("{} <code>{}</code> ", v.getKey(), v.getValue())),
                r.narrowed()
                    .policy()
                    .map(
                        d ->
                            Html.of(
                                """
                                <details open><summary>The policy it grants (SHA-256 \
                                <code class="sha">{}</code>)</summary>
                                <pre class="policy">{}</pre></details>""",
                                d.sha256(),
                                d.pretty()))
                    .orElse(
                        Html.of(
                            "<p class=\"muted\">No policy was filled with these values.</p>"))));
  }

  private static Html policy(FilledDocument d) {
    return Html.of(
        """
        <p>The credentials this request grants are limited by this policy, filled with the values \
        above (SHA-256 <code class="sha">{}</code>):</p>
        <pre class="policy">{}</pre>""",
        d.sha256(),
        d.pretty());
  }
}
