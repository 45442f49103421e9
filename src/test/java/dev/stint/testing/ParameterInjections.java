package dev.stint.testing;

import java.util.List;

/**
 * Values no narrowed parameter may take, one of each shape an attacker would try in a bucket name:
 * IAM wildcards, path and JSON breakers, placeholders, look-alike letters, a control character, a
 * value far past any limit, another resource's ARN, a space and nothing at all. Every one is
 * refused with 400, whichever way it is sent.
 */
public final class ParameterInjections {
  private ParameterInjections() {}

  public static List<String> shapes() {
    return List.of(
        "*",
        "team-?",
        "team..logs",
        "team\"logs",
        "team-{x}",
        "team-logs}",
        "team\nlogs",
        "t\u0435am-logs",
        "team-logs\u212A",
        "${other}",
        "a".repeat(5 * 1024),
        "arn:aws:s3:::other",
        "team logs",
        "");
  }
}
