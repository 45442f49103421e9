package dev.stint.web;

import dev.stint.access.Narrowed;
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
