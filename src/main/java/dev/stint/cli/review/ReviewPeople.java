package dev.stint.cli.review;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.cli.CliException;
import dev.stint.cli.Suggestions;
import dev.stint.cli.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The people of one access review, as its items name them, and who a PERSON typed on the command
 * line is among them: an email (ASCII case ignored, as the server compares emails), a subject, or
 * {@code ISSUER#SUBJECT}, which is always one person. A word that names no one, or more than one,
 * is refused with the candidates, never guessed: a decision on the wrong person suspends someone's
 * access.
 */
final class ReviewPeople {
  /** One item's person, its suggestion and its decision so far (null while undecided). */
  record Item(String issuer, String subject, String email, String suggested, String decision) {
    /** The form that always names this person alone. */
    String exact() {
      return issuer + "#" + subject;
    }

    boolean decided() {
      return decision != null;
    }
  }

  private final String reviewId;
  private final List<Item> items;

  private ReviewPeople(String reviewId, List<Item> items) {
    this.reviewId = reviewId;
    this.items = List.copyOf(items);
  }

  /** The items of {@code review} ({@code GET /v1/access-reviews/{id}}), in the server's order. */
  static ReviewPeople of(JsonNode review) {
    List<Item> items = new ArrayList<>();
    for (JsonNode i : review.path("items")) {
      JsonNode person = i.path("person");
      items.add(
          new Item(
              person.path("issuer").asText(),
              person.path("subject").asText(),
              text(person.path("email")),
              text(i.path("suggestion").path("decision")),
              text(i.path("decision"))));
    }
    return new ReviewPeople(review.path("id").asText(), items);
  }

  List<Item> items() {
    return items;
  }

  /** The one item {@code person} names; refused (nothing sent) when it names none or several. */
  Item resolve(String person) {
    List<Item> named = items.stream().filter(i -> names(person, i)).toList();
    if (named.size() == 1) {
      return named.get(0);
    }
    String typed = Table.sanitize(person);
    if (named.isEmpty()) {
      List<String> near = Suggestions.closest(person, items.stream().map(this::label).toList());
      throw new CliException(
          CliException.USAGE,
          "no one in review "
              + reviewId
              + " is '"
              + typed
              + "'"
              + (near.isEmpty()
                  ? ""
                  : " (did you mean " + Table.sanitize(String.join(" or ", near)) + "?)")
              + ": give an email, a subject or ISSUER#SUBJECT as 'stint access-review show "
              + reviewId
              + "' lists them; nothing was sent");
    }
    throw new CliException(
        CliException.USAGE,
        "'"
            + typed
            + "' names "
            + named.size()
            + " people in review "
            + reviewId
            + ": "
            + named.stream().map(i -> Table.sanitize(i.exact())).collect(Collectors.joining(", "))
            + "; give one of them as ISSUER#SUBJECT; nothing was sent");
  }

  /**
   * The shortest word that names {@code item} alone here, for a person to read and to type back:
   * the email, else the subject, else {@code ISSUER#SUBJECT}.
   */
  String label(Item item) {
    if (item.email() != null && alone(item.email())) {
      return item.email();
    }
    return alone(item.subject()) ? item.subject() : item.exact();
  }

  private boolean alone(String word) {
    return items.stream().filter(i -> names(word, i)).count() == 1;
  }

  private static boolean names(String word, Item item) {
    return word.equals(item.exact())
        || word.equals(item.subject())
        || item.email() != null && asciiEqualIgnoringCase(word, item.email());
  }

  /**
   * Equal but for the case of ASCII letters: any other difference, a non-ASCII letter's case
   * included, is a different address (ARCHITECTURE §13, "Directory matching").
   */
  static boolean asciiEqualIgnoringCase(String a, String b) {
    if (a.length() != b.length()) {
      return false;
    }
    for (int k = 0; k < a.length(); k++) {
      if (lower(a.charAt(k)) != lower(b.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  private static String text(JsonNode node) {
    return node.isTextual() ? node.asText() : null;
  }
}
