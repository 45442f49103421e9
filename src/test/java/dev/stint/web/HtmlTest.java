package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HtmlTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        "<script>alert(1)</script>|&lt;script&gt;alert(1)&lt;/script&gt;",
        "~\" onmouseover=\"x~|&quot; onmouseover=&quot;x",
        "it's|it&#39;s",
        "a & b|a &amp; b",
        "`x`|&#96;x&#96;",
        "plain text|plain text"
      })
  void argumentsAreEscapedForTextAndAttributes(String input, String expected) {
    assertThat(Html.of("<p title=\"{}\">{}</p>", input, input).toString())
        .isEqualTo("<p title=\"" + expected + "\">" + expected + "</p>");
  }

  @Test
  void fragmentsAreInsertedAsMarkupOnlyWhenAlreadyHtml() {
    Html inner = Html.of("<b>{}</b>", "<i>");
    assertThat(Html.of("<p>{}</p>", inner).toString()).isEqualTo("<p><b>&lt;i&gt;</b></p>");
    assertThat(Html.of("<p>{}</p>", inner.toString()).toString())
        .isEqualTo("<p>&lt;b&gt;&amp;lt;i&amp;gt;&lt;/b&gt;</p>");
    assertThat(Html.each(List.of("<a>", "b"), s -> Html.of("<li>{}</li>", s)).toString())
        .isEqualTo("<li>&lt;a&gt;</li><li>b</li>");
  }

  @Test
  void aTemplateMustUseEveryArgumentExactlyOnce() {
    assertThatThrownBy(() -> Html.of("<p>{}</p>")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Html.of("<p></p>", "x")).isInstanceOf(IllegalArgumentException.class);
  }
}
