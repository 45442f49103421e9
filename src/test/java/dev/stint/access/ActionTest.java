package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest.RequestState;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The words the audit records and the routes name, whatever the server's default locale. */
class ActionTest {
  @Test
  void theCodesAreTheSameUnderATurkishDefaultLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));
      assertThat(Action.REVIEW.code()).isEqualTo("review");
      assertThat(Action.APPROVE.code()).isEqualTo("approve");
      assertThat(RequestState.of("expired")).isEqualTo(RequestState.EXPIRED);
    } finally {
      Locale.setDefault(before);
    }
  }
}
