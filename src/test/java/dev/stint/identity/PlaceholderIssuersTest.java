package dev.stint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Only names reserved for examples or invalid names count as "no identity provider is there". */
class PlaceholderIssuersTest {
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "https://login.example.com, true",
    "https://example.com, true",
    "https://LOGIN.EXAMPLE.ORG/tenant, true",
    "https://idp.example.net., true",
    "https://idp.demo.stint.invalid, true",
    "https://accounts.google.com, false",
    "https://login.microsoftonline.com/tenant/v2.0, false",
    "https://example.company.com, false",
    "https://notexample.com, false",
    "http://127.0.0.1:9/dev-idp-url-set-by-stint-demo, false",
    "https://token.actions.githubusercontent.com, false",
    "not a url, false"
  })
  void onlyReservedNamesArePlaceholders(String url, boolean placeholder) {
    assertThat(PlaceholderIssuers.isPlaceholder(url)).isEqualTo(placeholder);
  }
}
