package dev.stint.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuditRowWriterTest {
  @ParameterizedTest(name = "[{0}]")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "plain|true|plain",
        "a,b|true|`\"a,b\"`",
        "say \"hi\"|true|`\"say \"\"hi\"\"\"`",
        "=SUM(A1)|true|'=SUM(A1)",
        "+1|true|'+1",
        "-x|true|'-x",
        "@cmd|true|'@cmd",
        "-5|false|-5",
        "`line\nbreak`|true|`\"line\nbreak\"`"
      })
  void csvCellsAreQuotedAndFormulasDefused(String cell, boolean text, String expected) {
    assertThat(AuditRowWriter.csv(cell, text)).isEqualTo(expected);
  }
}
