package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Why the pages send {@code Referrer-Policy: same-origin} and not {@code no-referrer}: under
 * no-referrer browsers send {@code Origin: null} on the site's own form POSTs, and the guard must
 * refuse an opaque origin. same-origin still sends no Referer to any other site. The operations
 * guide must say the same as the code.
 */
class ReferrerPolicyIT {
  @Test
  void sameOriginBecauseAnOpaqueOriginIsRefused() throws Exception {
    try (WebSite site = WebSite.start()) {
      Browser olga = site.signedIn("olga", "sre");
      for (String page : new String[] {"/ui", "/ui/login", "/ui/static/stint.css"}) {
        assertThat(olga.get(page).headers().allValues("Referrer-Policy"))
            .as(page)
            .containsExactly("same-origin");
      }
      Map<String, String> form =
          Map.of(
              "profile",
              "aws-prod",
              "duration_seconds",
              "3600",
              "reason",
              "INC-2 opaque origin",
              "csrf",
              olga.csrf());
      assertThat(olga.post("/ui/requests", form, Optional.of("null")).statusCode()).isEqualTo(403);
      assertThat(olga.get("/ui").body()).doesNotContain("INC-2 opaque origin");
    }
    assertThat(Files.readString(Path.of("docs/operations.md")))
        .contains("`Referrer-Policy: same-origin`")
        .doesNotContain("Referrer-Policy: no-referrer");
  }
}
