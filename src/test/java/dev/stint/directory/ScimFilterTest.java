package dev.stint.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Filters become parameterised SQL or a precise {@code invalidFilter}; values never reach SQL text.
 */
class ScimFilterTest {
  static FilterSql.Where users(String filter) {
    return FilterSql.users(ScimFilter.parse(filter, FilterSql.USER_ATTRIBUTES), 1);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "userName eq \"A@B.example\"|lower(u.user_name) = lower($1)|A@B.example",
        "USERNAME Eq \"x\"|lower(u.user_name) = lower($1)|x",
        "urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"x\"|lower(u.user_name) = lower($1)|x",
        "externalId eq \"Ab\"|u.external_id = $1|Ab",
        "displayName co \"50%_off\\\\\"|lower(u.display_name) LIKE lower($1) ESCAPE '\\'|%50\\%\\_off\\\\%",
        "displayName sw \"Al\"|lower(u.display_name) LIKE lower($1) ESCAPE '\\'|Al%",
        "emails.value ew \"@corp.example\"|EXISTS (SELECT 1 FROM directory_user_emails e WHERE e.user_id = u.id AND e.address LIKE lower($1) ESCAPE '\\')|%@corp.example",
        "id eq \"x\"|u.id = $1|x",
      })
  void aComparisonIsOneParameter(String filter, String sql, String param) {
    FilterSql.Where where = users(filter);
    assertThat(where.sql()).isEqualTo(sql);
    assertThat(where.params()).containsExactly(param);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "userName eq \"a\" or userName eq \"b\" and active eq true",
        "(userName eq \"a\" or userName eq \"b\") and active eq true"
      })
  void andBindsTighterThanOrAndParenthesesGroup(String filter) {
    FilterSql.Where where = users(filter);
    boolean grouped = filter.startsWith("(");
    assertThat(where.sql())
        .isEqualTo(
            grouped
                ? "((lower(u.user_name) = lower($1) OR lower(u.user_name) = lower($2)) AND u.active = $3)"
                : "(lower(u.user_name) = lower($1) OR (lower(u.user_name) = lower($2) AND u.active = $3))");
    assertThat(where.params()).containsExactly("a", "b", true);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "`  `|the filter is empty",
        "userName|ends where an operator",
        "userName eq|ends where a value",
        "userName eq \"a|not closed",
        "userName eq a|values are quoted strings",
        "userName gt \"a\"|operator 'gt' is not supported",
        "password eq \"x\"|cannot filter on 'password'",
        "not (userName eq \"a\")|'not' is not supported",
        "(userName eq \"a\"|')' was expected",
        "userName eq \"a\")|unexpected ')'",
        "emails[type eq \"work\"]|brackets are not supported",
        "active co \"t\"|'active' is compared with eq or ne",
        "userName eq true|'userName' is compared with a string",
        "userName eq \"a\" userName eq \"b\"|unexpected 'userName'",
      })
  void whatIsNotUnderstoodIsRefusedWithItsReason(String filter, String reason) {
    assertThatThrownBy(() -> users(filter))
        .isInstanceOfSatisfying(
            ScimException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.scimType()).contains("invalidFilter");
            })
        .hasMessageContaining(reason);
  }

  @Test
  void aFilterIsBoundedInLengthAndComparisons() {
    String many = String.join(" or ", Collections.nCopies(17, "userName eq \"a\""));
    assertThatThrownBy(() -> users(many)).hasMessageContaining("at most 16 comparisons");
    assertThatThrownBy(() -> users("userName eq \"" + "a".repeat(3000) + "\""))
        .hasMessageContaining("longer than");
    assertThat(users(String.join(" or ", Collections.nCopies(16, "userName eq \"a\""))).params())
        .hasSize(16);
  }

  @Test
  void groupsFilterOnMembersByEqualityOnly() {
    FilterSql.Where where =
        FilterSql.groups(ScimFilter.parse("members eq \"u1\"", FilterSql.GROUP_ATTRIBUTES), 1);
    assertThat(where.sql())
        .isEqualTo(
            "EXISTS (SELECT 1 FROM directory_members m WHERE m.group_id = g.id AND m.user_id = $1)");
    assertThat(where.params()).isEqualTo(List.of("u1"));
    assertThatThrownBy(
            () ->
                FilterSql.groups(
                    ScimFilter.parse("members co \"u\"", FilterSql.GROUP_ATTRIBUTES), 1))
        .hasMessageContaining("eq only");
    assertThatThrownBy(
            () ->
                FilterSql.groups(
                    ScimFilter.parse("userName eq \"u\"", FilterSql.GROUP_ATTRIBUTES), 1))
        .hasMessageContaining("cannot filter on 'userName'");
  }
}
