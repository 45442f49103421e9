package dev.stint.mint;

import java.util.Objects;

/**
 * What a credential is issued under, as the cloud sees it: a grant (which revocation can end), or a
 * CI rule that mints without one. Never a made-up grant id: the audit, the answer and the tokens
 * stint signs name the rule as a rule, so nothing mistakes it for a grant.
 */
public sealed interface IssuedUnder {
  /**
   * For logs and the clouds' own audit trails, e.g. {@code grant g-1} or {@code CI rule deploy}.
   */
  String label();

  /** The grant id or the rule name. */
  String value();

  /** The claim that carries {@link #value()} in the tokens stint signs for the clouds. */
  String claim();

  /**
   * One value for a place that carries either (a cloud's session tag, a source identity): the grant
   * id, or {@code ci:RULE}, which no grant id can be.
   */
  String tag();

  /** A grant, by id. */
  record Grant(String id) implements IssuedUnder {
    public Grant {
      Objects.requireNonNull(id, "id");
    }

    @Override
    public String label() {
      return "grant " + id;
    }

    @Override
    public String value() {
      return id;
    }

    @Override
    public String claim() {
      return "grant_id";
    }

    @Override
    public String tag() {
      return id;
    }
  }

  /** A CI rule with {@code approval: none}, by name. */
  record CiRule(String name) implements IssuedUnder {
    public CiRule {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public String label() {
      return "CI rule " + name;
    }

    @Override
    public String value() {
      return name;
    }

    @Override
    public String claim() {
      return "ci_rule";
    }

    @Override
    public String tag() {
      return "ci:" + name;
    }
  }
}
