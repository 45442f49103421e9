package dev.stint.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A filled document as people read it: indented, otherwise the same tokens as the compact one. */
class FilledDocumentTest {
  @Test
  void prettyIndentsEachMemberOnItsOwnLineAndKeepsEveryToken() {
    FilledDocument d =
        new FilledDocument(
            "[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],"
                + "\"Resource\":\"arn:aws:s3:::team-logs/*\",\"Sid\":\"caf\\u00E9\"}]");
    assertThat(d.pretty())
        .isEqualTo(
            """
            [
              {
                "Effect" : "Allow",
                "Action" : [
                  "s3:GetObject"
                ],
                "Resource" : "arn:aws:s3:::team-logs/*",
                "Sid" : "caf\\u00E9"
              }
            ]""");
    assertThat(d.pretty().replaceAll("\\s+(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", ""))
        .isEqualTo(d.json());
  }
}
