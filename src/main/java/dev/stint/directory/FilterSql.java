package dev.stint.directory;

import dev.stint.directory.ScimFilter.And;
import dev.stint.directory.ScimFilter.Compare;
import dev.stint.directory.ScimFilter.Node;
import dev.stint.directory.ScimFilter.Or;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A parsed filter as a SQL condition over {@code directory_users u} or {@code directory_groups g},
 * every value a parameter: a filter can change which rows match, never the statement's shape.
 * userName, displayName and emails compare case-insensitively, id and externalId exactly (RFC
 * 7643's {@code caseExact}).
 */
final class FilterSql {
  /** The condition and its parameters, numbered from the first one it was given. */
  record Where(String sql, List<Object> params) {}

  static final String EMAILS = "emails.value";
  static final String MEMBERS = "members.value";

  /** The searchable attributes of users, by their lower-case names. */
  static final Map<String, String> USER_ATTRIBUTES =
      Map.of(
          "id",
          "id",
          "username",
          "userName",
          "externalid",
          "externalId",
          "displayname",
          "displayName",
          "emails",
          EMAILS,
          EMAILS,
          EMAILS,
          "active",
          "active");

  /** The searchable attributes of groups, by their lower-case names. */
  static final Map<String, String> GROUP_ATTRIBUTES =
      Map.of(
          "id",
          "id",
          "displayname",
          "displayName",
          "externalid",
          "externalId",
          "members",
          MEMBERS,
          MEMBERS,
          MEMBERS);

  private final List<Object> params = new ArrayList<>();
  private final int first;
  private final boolean users;

  private FilterSql(int first, boolean users) {
    this.first = first;
    this.users = users;
  }

  static Where users(Node filter, int firstParam) {
    FilterSql out = new FilterSql(firstParam, true);
    return new Where(out.node(filter), out.params);
  }

  static Where groups(Node filter, int firstParam) {
    FilterSql out = new FilterSql(firstParam, false);
    return new Where(out.node(filter), out.params);
  }

  private String node(Node n) {
    if (n instanceof And a) {
      return "(" + node(a.left()) + " AND " + node(a.right()) + ")";
    }
    if (n instanceof Or o) {
      return "(" + node(o.left()) + " OR " + node(o.right()) + ")";
    }
    return compare((Compare) n);
  }

  private String compare(Compare c) {
    String prefix = users ? "u." : "g.";
    return switch (c.attribute()) {
      case "id" -> text(prefix + "id", false, c);
      case "userName" -> text("u.user_name", true, c);
      case "externalId" -> text(prefix + "external_id", false, c);
      case "displayName" -> text(prefix + "display_name", true, c);
      case "active" -> active(c);
      case EMAILS -> emails(c);
      case MEMBERS -> members(c);
      default -> throw ScimException.invalidFilter("cannot filter on '" + c.attribute() + "'");
    };
  }

  private String text(String column, boolean caseless, Compare c) {
    return text(column, caseless ? "lower(" + column + ")" : column, caseless, c);
  }

  /** {@code left} is the column as compared: lower-cased, or as it is. */
  private String text(String column, String left, boolean caseless, Compare c) {
    if (c.op().equals("pr")) {
      return column + " IS NOT NULL";
    }
    String value = string(c);
    return switch (c.op()) {
      case "eq" -> left + " = " + param(value, caseless);
      case "ne" -> "(" + column + " IS NULL OR " + left + " <> " + param(value, caseless) + ")";
      default -> left + " LIKE " + param(pattern(c.op(), value), caseless) + " ESCAPE '\\'";
    };
  }

  private String active(Compare c) {
    if (!(c.value() instanceof Boolean b) || !(c.op().equals("eq") || c.op().equals("ne"))) {
      throw ScimException.invalidFilter("'active' is compared with eq or ne to true or false");
    }
    return "u.active " + (c.op().equals("eq") ? "=" : "<>") + " " + param(b, false);
  }

  private String emails(Compare c) {
    String any = "EXISTS (SELECT 1 FROM directory_user_emails e WHERE e.user_id = u.id";
    if (c.op().equals("pr")) {
      return any + ")";
    }
    if (c.op().equals("ne")) {
      return "NOT " + any + " AND e.address = " + param(string(c), true) + ")";
    }
    // Addresses are stored lower-cased: only the value is, by the database's own rules.
    return any + " AND " + text("e.address", "e.address", true, c) + ")";
  }

  private String members(Compare c) {
    if (!c.op().equals("eq")) {
      throw ScimException.invalidFilter("members are compared with eq only");
    }
    return "EXISTS (SELECT 1 FROM directory_members m WHERE m.group_id = g.id AND m.user_id = "
        + param(string(c), false)
        + ")";
  }

  private static String string(Compare c) {
    if (!(c.value() instanceof String s)) {
      throw ScimException.invalidFilter("'" + c.attribute() + "' is compared with a string");
    }
    return s;
  }

  private static String pattern(String op, String value) {
    String escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    return switch (op) {
      case "co" -> "%" + escaped + "%";
      case "sw" -> escaped + "%";
      default -> "%" + escaped;
    };
  }

  private String param(Object value, boolean lower) {
    params.add(value);
    String p = "$" + (first + params.size() - 1);
    return lower ? "lower(" + p + ")" : p;
  }
}
