package dev.stint.cli.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.cli.CliException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who a PERSON names among a review's people, one case per way of naming and of failing. */
class ReviewPeopleTest {
  private static final String REVIEW =
      """
      {"id": "rvw_abc", "items": [
        {"person": {"issuer": "https://a", "subject": "u-1", "email": "Ann@Example.com"}},
        {"person": {"issuer": "https://a", "subject": "u-2", "email": "twin@example.com"}},
        {"person": {"issuer": "https://b", "subject": "u-2", "email": "twin@example.com"}},
        {"person": {"issuer": "https://b", "subject": "u-3", "email": null}},
        {"person": {"issuer": "https://b", "subject": "ann@example.com", "email": null}},
        {"person": {"issuer": "https://b", "subject": "u-5", "email": "\u00c9lise@example.com"}}
      ]}""";

  private static ReviewPeople people() throws Exception {
    JsonNode review = new ObjectMapper().readTree(REVIEW);
    return ReviewPeople.of(review);
  }

  @ParameterizedTest
  @CsvSource({
    "u-1, https://a#u-1",
    "ANN@example.com, https://a#u-1",
    "https://b#u-3, https://b#u-3",
    "u-3, https://b#u-3",
    "https://a#u-2, https://a#u-2",
    "https://b#u-2, https://b#u-2",
    "\u00c9LISE@EXAMPLE.COM, https://b#u-5",
  })
  void aWordNamingOnePersonIsThem(String word, String exact) throws Exception {
    assertThat(people().resolve(word).exact()).isEqualTo(exact);
  }

  @ParameterizedTest
  @CsvSource({
    "u-2, names 2 people",
    "twin@example.com, names 2 people",
    "ann@example.com, names 2 people",
    "\u00e9lise@example.com, no one in review rvw_abc is",
    "u-9, no one in review rvw_abc is",
    "https://c#u-1, no one in review rvw_abc is",
  })
  void aWordNamingNoneOrSeveralIsRefused(String word, String why) {
    assertThatThrownBy(() -> people().resolve(word))
        .isInstanceOf(CliException.class)
        .hasMessageContaining(why)
        .hasMessageEndingWith("nothing was sent")
        .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(CliException.USAGE));
  }

  @ParameterizedTest
  @CsvSource({
    "0, Ann@Example.com",
    "1, https://a#u-2",
    "3, u-3",
    "4, https://b#ann@example.com",
    "5, \u00c9lise@example.com",
  })
  void theLabelIsTheShortestWordThatNamesThemAlone(int index, String label) throws Exception {
    ReviewPeople people = people();

    String printed = people.label(people.items().get(index));

    assertThat(printed).isEqualTo(label);
    assertThat(people.resolve(printed)).isEqualTo(people.items().get(index));
  }
}
