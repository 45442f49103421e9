package dev.stint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Email addresses as people are matched by them: ASCII case only, nothing else folded. */
class EmailsTest {
  @Test
  void asciiLettersLoseTheirCaseAndNothingElseChanges() {
    assertThat(Emails.matchable("Kelly.O'Hara+Ops@Corp.Example"))
        .contains("kelly.o'hara+ops@corp.example");
    assertThat(Emails.matchable("kelly@corp.example")).contains("kelly@corp.example");
  }

  @Test
  void anAddressWithALetterUnicodeWouldFoldIntoAsciiIsNeverMatched() {
    // KELVIN SIGN lower-cases to "k"; LATIN CAPITAL I WITH DOT ABOVE to "i" and a dot; DOTLESS I
    // upper-cases
    // to "I"; LONG S upper-cases to "S"; a fullwidth letter is another letter again.
    for (String lookalike :
        new String[] {
          "\u212Aelly@corp.example",
          "\u0130van@corp.example",
          "\u0131van@corp.example",
          "ro\u017Fe@corp.example",
          "\uFF4Belly@corp.example",
          "kelly@corp.ex\u0430mple",
          "jos\u00E9@corp.example"
        }) {
      assertThat(Emails.matchable(lookalike)).as(lookalike).isEmpty();
    }
    assertThat("\u212Aelly@corp.example".toLowerCase(Locale.ROOT))
        .as("what folding did")
        .isEqualTo("kelly@corp.example");
  }

  @Test
  void anythingButOnePrintableAddressIsNeverMatched() {
    for (String odd :
        new String[] {
          "",
          "kelly",
          "@corp.example",
          "kelly@",
          "kelly@@corp.example",
          "ke@lly@corp.example",
          " kelly@corp.example",
          "kelly@corp.example ",
          "kel ly@corp.example",
          "kelly@corp\t.example",
          "kelly@corp.example\n"
        }) {
      assertThat(Emails.matchable(odd)).as("[" + odd + "]").isEmpty();
    }
    assertThat(Emails.matchable(null)).isEmpty();
  }
}
