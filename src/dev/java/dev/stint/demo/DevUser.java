package dev.stint.demo;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A person the development identity provider can sign in. The groups match the demo policy ({@code
 * policies/demo/}): alice (eng) requests, bob and carol (sre) approve, carol (security) also reads
 * the audit.
 */
public record DevUser(String login, String name, String email, List<String> groups) {
  public static final List<DevUser> ALL =
      List.of(
          new DevUser("alice", "Alice Example", "alice@demo.stint.invalid", List.of("eng")),
          new DevUser("bob", "Bob Example", "bob@demo.stint.invalid", List.of("sre")),
          new DevUser(
              "carol", "Carol Example", "carol@demo.stint.invalid", List.of("sre", "security")));

  public DevUser {
    groups = List.copyOf(groups);
  }

  public static Optional<DevUser> named(String login) {
    return ALL.stream().filter(u -> u.login().equals(login)).findFirst();
  }

  /** The person whose demo Slack member id is {@code member}. */
  static Optional<DevUser> ofSlackMember(String member) {
    return ALL.stream().filter(u -> u.slackMember().equals(member)).findFirst();
  }

  /** Their member id in the demo Slack ({@code U0ALICE} for alice). */
  public String slackMember() {
    return "U0" + login.toUpperCase(Locale.ROOT);
  }
}
