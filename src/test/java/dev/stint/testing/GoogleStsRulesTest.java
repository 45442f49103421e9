package dev.stint.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.FakeHttpsEndpoint.Call;
import dev.stint.testing.GoogleStsRules.Refusal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the fake Google STS refuses: one case per refusal, each a change to a downscoping exchange
 * it accepts, answered with STS's status and OAuth error code.
 */
class GoogleStsRulesTest {
  private static final String LIVE = "ya29.live";
  private static final String RULE =
      "{\"availableResource\":\"//storage.googleapis.com/projects/_/buckets/team-logs\","
          + "\"availablePermissions\":[\"inRole:roles/storage.objectViewer\"]}";

  private static String boundary(int rules) {
    return "{\"accessBoundary\":{\"accessBoundaryRules\":["
        + String.join(",", Collections.nCopies(rules, RULE))
        + "]}}";
  }

  /** A downscoping exchange STS accepts, with {@code changes} applied (a null value removes). */
  private static Call exchange(Map<String, String> changes, Map<String, List<String>> headers) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
    form.put("subject_token_type", "urn:ietf:params:oauth:token-type:access_token");
    form.put("requested_token_type", "urn:ietf:params:oauth:token-type:access_token");
    form.put("subject_token", LIVE);
    form.put("options", boundary(1));
    changes.forEach(
        (k, v) -> {
          if (v == null) {
            form.remove(k);
          } else {
            form.put(k, v);
          }
        });
    return new Call("POST", "/v1/token", null, headers, "", form);
  }

  private static Optional<Refusal> refusal(Call call) {
    return GoogleStsRules.refusal(call, LIVE::equals);
  }

  private static Map<String, String> change(String key, String value) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(key, value);
    return m;
  }

  @Test
  void aDownscopingExchangeWithTenRulesIsAccepted() {
    assertThat(refusal(exchange(change("options", boundary(10)), Map.of()))).isEmpty();
  }

  static Stream<Arguments> refused() {
    String noPermissions =
        "{\"accessBoundary\":{\"accessBoundaryRules\":[{\"availableResource\":\"//x/y\"}]}}";
    String noResource =
        "{\"accessBoundary\":{\"accessBoundaryRules\":[{\"availablePermissions\":"
            + "[\"inRole:roles/storage.objectViewer\"]}]}}";
    String bareRole =
        "{\"accessBoundary\":{\"accessBoundaryRules\":[{\"availableResource\":\"//x/y\","
            + "\"availablePermissions\":[\"roles/storage.objectViewer\"]}]}}";
    return Stream.of(
        Arguments.of("no subject_token", change("subject_token", null), "invalid_request"),
        Arguments.of("an unknown token", change("subject_token", "ya29.forged"), "invalid_grant"),
        Arguments.of(
            "another grant type",
            change("grant_type", "client_credentials"),
            "unsupported_grant_type"),
        Arguments.of("no grant type", change("grant_type", null), "unsupported_grant_type"),
        Arguments.of(
            "an unknown subject token type",
            change("subject_token_type", "urn:x:unknown"),
            "invalid_request"),
        Arguments.of(
            "a refresh token asked for",
            change("requested_token_type", "urn:ietf:params:oauth:token-type:refresh_token"),
            "invalid_request"),
        Arguments.of("no options", change("options", null), "invalid_request"),
        Arguments.of("options not JSON", change("options", "{accessBoundary"), "invalid_request"),
        Arguments.of("options without a boundary", change("options", "{}"), "invalid_request"),
        Arguments.of("no rules", change("options", boundary(0)), "invalid_request"),
        Arguments.of("eleven rules", change("options", boundary(11)), "invalid_request"),
        Arguments.of(
            "no availablePermissions", change("options", noPermissions), "invalid_request"),
        Arguments.of("no availableResource", change("options", noResource), "invalid_request"),
        Arguments.of("a role not inRole:", change("options", bareRole), "invalid_request"),
        Arguments.of(
            "options past 2048 characters",
            change("options", boundary(10).replace("team-logs", "x".repeat(150))),
            "invalid_request"),
        Arguments.of(
            "a JWT without audience",
            change("subject_token_type", "urn:ietf:params:oauth:token-type:jwt"),
            "invalid_request"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refused(String why, Map<String, String> changes, String error) {
    Refusal refusal = refusal(exchange(changes, Map.of())).orElseThrow();

    assertThat(refusal.status()).isEqualTo(400);
    assertThat(refusal.error()).isEqualTo(error);
    assertThat(refusal.answer().body())
        .contains("\"error\":\"" + error + "\"", "error_description");
  }

  @Test
  void anAuthorizationHeaderIsRefused() {
    Call call = exchange(Map.of(), Map.of("authorization", List.of("Bearer " + LIVE)));

    assertThat(refusal(call)).map(Refusal::error).contains("invalid_request");
  }

  @Test
  void everyBoundaryIsReadFromTheOptions() {
    assertThat(GoogleStsRules.accessBoundary(exchange(Map.of(), Map.of())))
        .map(b -> b.path("accessBoundaryRules").size())
        .contains(1);
    assertThat(GoogleStsRules.accessBoundary(exchange(change("options", null), Map.of())))
        .isEmpty();
  }
}
