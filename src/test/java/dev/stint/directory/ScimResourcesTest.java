package dev.stint.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** A resource's location is under the public URL as configured, with or without its last slash. */
class ScimResourcesTest {
  @Test
  void aLocationHasOneSlashBeforeTheScimPathWhetherThePublicUrlEndsInOneOrNot() {
    String expected = "https://stint.example.com/scim/v2/Users/u1";

    assertThat(new ScimResources(URI.create("https://stint.example.com/")).location("Users", "u1"))
        .isEqualTo(expected);
    assertThat(new ScimResources(URI.create("https://stint.example.com")).location("Users", "u1"))
        .isEqualTo(expected);
  }
}
