package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.app.ServeCommand;
import dev.stint.app.Server;
import dev.stint.config.ConfigKeys;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyLoader;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The development IdP can never be part of {@code stint serve}: the server's build holds no class
 * of {@code dev.stint.demo} or of the stand-ins' {@code dev.stint.standin} (they are src/dev's), no
 * class that serve or the server reaches refers to them, no configuration key names the demo, and
 * the policies {@code stint serve} loads by default do not include the demo's. ({@code make run}
 * with no identity provider configured runs {@code bin/stint demo}, the development build, never
 * serve.)
 */
class DemoIsolationTest {
  private static final Pattern STINT_CLASS = Pattern.compile("dev/stint/[A-Za-z0-9_/$]+");

  @Test
  void serveAndTheServerNeverReachTheDemoPackage() throws IOException {
    Set<String> reached = reachableFrom(ServeCommand.class, Server.class);
    assertThat(reached)
        .as("classes reached from serve")
        .hasSizeGreaterThan(50)
        .contains("dev/stint/app/Server", "dev/stint/identity/OidcTokenVerifier");
    assertThat(reached).filteredOn(c -> c.startsWith("dev/stint/demo/")).isEmpty();
    // The stand-ins' AWS rules are for the demo and the tests alone, like the demo itself.
    assertThat(reached).filteredOn(c -> c.startsWith("dev/stint/standin/")).isEmpty();
  }

  @Test
  void theServersBuildHoldsNoDevelopmentClass() throws IOException {
    // target/stint.jar, and the server's and the client's packages made from it, are
    // target/classes.
    Path server = Path.of("target/classes/dev/stint");
    try (Stream<Path> files = Files.walk(server)) {
      assertThat(files.filter(f -> f.toString().endsWith(".class")).map(server::relativize))
          .as("classes of the server's build (left over from before src/dev? make clean)")
          .hasSizeGreaterThan(50)
          .noneMatch(c -> c.startsWith("demo") || c.startsWith("standin"));
    }
    // The development build holds them: the check above looks where they would be.
    assertThat(Path.of("target/dev-classes/dev/stint/demo/DemoCommand.class")).isRegularFile();
    assertThat(Path.of("target/dev-classes/dev/stint/standin/SigV4.class")).isRegularFile();
  }

  @Test
  void theScanSeesAReferenceWhereThereIsOne() throws IOException {
    // The same scan from the demo command finds the IdP: the check above can fail.
    assertThat(reachableFrom(DemoCommand.class)).contains("dev/stint/demo/DevIdp");
  }

  @Test
  void noConfigurationKeyMentionsTheDemoOrTheDevelopmentIdp() throws IllegalAccessException {
    for (Field f : ConfigKeys.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers())) {
        String key = String.valueOf(f.get(null)).toLowerCase(Locale.ROOT);
        assertThat(key).doesNotContain("demo").doesNotContain("dev_idp").doesNotContain("devidp");
      }
    }
  }

  @Test
  void theShippedPoliciesServeLoadsDoNotIncludeTheDemoPolicy() {
    Policy shipped = new PolicyLoader().load(Path.of("policies"));
    assertThat(shipped.files()).allMatch(f -> f.getParent().equals(Path.of("policies")));
    assertThat(shipped.profiles()).doesNotContainKey("demo-admin");
    assertThat(shipped.issuers()).doesNotContainKeys("demo", "demo-github", "demo-gitlab");
  }

  @Test
  void theDemoPolicyNamesThePlaceholderTheDemoReplaces() {
    DemoPolicies demo = new DemoPolicies(Path.of("policies", "demo"));
    assertThat(demo.cliClientId()).isEqualTo("stint-demo-cli");
    assertThat(demo.webClientId()).isEqualTo("stint-demo-web");
    assertThat(demo.awsRoleNames())
        .containsExactly("demo-admin", "demo-oncall", "demo-reader", "demo-deploy");
  }

  /** Every dev.stint class named in the constant pools reachable from the roots. */
  private static Set<String> reachableFrom(Class<?>... roots) throws IOException {
    Set<String> seen = new TreeSet<>();
    Deque<String> todo = new ArrayDeque<>();
    for (Class<?> root : roots) {
      todo.add(root.getName().replace('.', '/'));
    }
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (!seen.add(name)) {
        continue;
      }
      try (InputStream in =
          DemoIsolationTest.class.getClassLoader().getResourceAsStream(name + ".class")) {
        if (in == null) {
          continue; // a package prefix or a name inside a string, not a class
        }
        // Class names sit in the constant pool as modified UTF-8, readable as Latin-1 text.
        Matcher m = STINT_CLASS.matcher(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
        while (m.find()) {
          todo.add(m.group());
        }
      }
    }
    return seen;
  }
}
