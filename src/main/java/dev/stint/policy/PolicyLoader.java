package dev.stint.policy;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stint.cloud.AwsTarget;
import dev.stint.cloud.Cloud;
import dev.stint.common.Durations;
import dev.stint.identity.IssuerUse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads the {@code *.yaml}/{@code *.yml} files directly in a policy directory (not its
 * subdirectories, where policy tests live) into one validated {@link Policy}, or throws {@link
 * PolicyException} listing every problem as {@code file: key: reason}.
 */
public final class PolicyLoader {
  private final ObjectMapper yaml =
      new ObjectMapper(
          YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  /**
   * The request timeout of a server with the default configuration: what a load checks an
   * escalation against when it does not know the server's own.
   */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofHours(24);

  private final Conditions cel = new Conditions();
  private final Duration requestTimeout;

  /** A loader for tools that do not know the server's request timeout: the default is assumed. */
  public PolicyLoader() {
    this(DEFAULT_REQUEST_TIMEOUT);
  }

  /**
   * @param requestTimeout the server's {@code access.review_timeout}
   */
  public PolicyLoader(Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
  }

  public Policy load(Path dir) {
    ProblemList problems = new ProblemList();
    List<Path> files = policyFiles(dir, problems);
    MessageDigest digest = sha256();
    Merged merged = new Merged();
    for (Path file : files) {
      byte[] content = read(file, problems);
      if (content == null) {
        continue;
      }
      digest.update((file.getFileName() + "\0").getBytes(StandardCharsets.UTF_8));
      digest.update(content);
      parse(file, content, problems)
          .ifPresent(parts -> merged.add(file.toString(), parts, problems));
    }
    merged.checkReferences(problems);
    if (!problems.isEmpty()) {
      throw new PolicyException(problems.all());
    }
    return new Policy(
        merged.auditors,
        merged.admins,
        merged.issuers,
        merged.profiles,
        List.copyOf(merged.ci.values()),
        merged.login,
        merged.web,
        merged.bundles,
        merged.findings.orElse(Findings.NONE),
        files,
        HexFormat.of().formatHex(digest.digest()));
  }

  /** The files a load of {@code dir} would read, sorted; empty when the directory is unreadable. */
  public static List<Path> policyFiles(Path dir) {
    return policyFiles(dir, new ProblemList());
  }

  private static List<Path> policyFiles(Path dir, ProblemList problems) {
    if (!Files.isDirectory(dir)) {
      problems.add(dir.toString(), "", "policy directory does not exist");
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      List<Path> files =
          entries
              .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .filter(Files::isRegularFile)
              .sorted()
              .toList();
      if (files.isEmpty()) {
        problems.add(dir.toString(), "", "no policy files (*.yaml) found");
      }
      return files;
    } catch (IOException e) {
      problems.add(dir.toString(), "", "cannot list policy directory: " + e.getMessage());
      return List.of();
    }
  }

  private static byte[] read(Path file, ProblemList problems) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      problems.add(file.toString(), "", "cannot read: " + e.getMessage());
      return null;
    }
  }

  private Optional<PolicyFileParser.Parts> parse(Path file, byte[] content, ProblemList problems) {
    JsonNode root;
    try {
      root = yaml.readTree(content);
    } catch (IOException e) {
      YamlSyntax.report(file.toString(), e, problems);
      return Optional.empty();
    }
    if (root == null || root.isNull() || root.isMissingNode()) {
      return Optional.empty(); // an empty file contributes nothing
    }
    if (!root.isObject()) {
      problems.add(file.toString(), "", "must be a mapping at the top level");
      return Optional.empty();
    }
    return Optional.of(
        new PolicyFileParser(cel, requestTimeout)
            .parse(new YamlNode(root, file.toString(), "", problems)));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The sections of all files together; a name or a single section defined twice is a problem. */
  private static final class Merged {
    Optional<Condition> auditors = Optional.empty();
    Optional<Condition> admins = Optional.empty();
    Optional<LoginConfig> login = Optional.empty();
    Optional<WebConfig> web = Optional.empty();
    Optional<Findings> findings = Optional.empty();
    final Map<String, IssuerConfig> issuers = new LinkedHashMap<>();
    final Map<String, Profile> profiles = new LinkedHashMap<>();
    final Map<String, CiRule> ci = new LinkedHashMap<>();
    final Map<String, Bundle> bundles = new LinkedHashMap<>();
    final Map<String, String> fileOf = new LinkedHashMap<>();

    void add(String file, PolicyFileParser.Parts parts, ProblemList problems) {
      auditors = once(file, "auditors", auditors, parts.auditors(), problems);
      admins = once(file, "admins", admins, parts.admins(), problems);
      login = once(file, "login", login, parts.login(), problems);
      web = once(file, "web", web, parts.web(), problems);
      findings = once(file, FindingsParser.KEY, findings, parts.findings(), problems);
      putAll(file, "issuers", parts.issuers(), issuers, problems);
      putAll(file, "profiles", parts.profiles(), profiles, problems);
      putAll(file, "ci", parts.ci(), ci, problems);
      putAll(file, "bundles", parts.bundles(), bundles, problems);
    }

    private <T> Optional<T> once(
        String file, String key, Optional<T> had, Optional<T> next, ProblemList problems) {
      if (next.isEmpty()) {
        return had;
      }
      if (had.isPresent() || fileOf.containsKey(key)) {
        problems.add(file, key, "already defined in " + fileOf.get(key));
        return had;
      }
      fileOf.put(key, file);
      return next;
    }

    private <T> void putAll(
        String file,
        String section,
        Map<String, T> from,
        Map<String, T> into,
        ProblemList problems) {
      from.forEach(
          (name, value) -> {
            String key = section + "." + name;
            if (into.containsKey(name)) {
              problems.add(file, key, "already defined in " + fileOf.get(key));
            } else {
              into.put(name, value);
              fileOf.put(key, file);
            }
          });
    }

    void checkReferences(ProblemList problems) {
      Map<String, String> urls = new LinkedHashMap<>();
      issuers
          .values()
          .forEach(
              i -> {
                String other = urls.putIfAbsent(i.issuerUrl(), i.name());
                if (other != null) {
                  problems.add(
                      fileOf.get("issuers." + i.name()),
                      "issuers." + i.name() + ".issuer",
                      "same URL as issuer '" + other + "'");
                }
              });
      login.ifPresent(
          l -> {
            if (!issuers.containsKey(l.issuerName())) {
              problems.add(
                  fileOf.get("login"), "login.issuer", "no issuer named '" + l.issuerName() + "'");
            }
          });
      web.ifPresent(
          w -> {
            if (!issuers.containsKey(w.issuerName())) {
              problems.add(
                  fileOf.get("web"), "web.issuer", "no issuer named '" + w.issuerName() + "'");
            }
          });
      ci.values().forEach(rule -> checkCiRule(rule, problems));
      bundles
          .values()
          .forEach(
              b -> BundleParser.check(b, profiles, fileOf.get("bundles." + b.name()), problems));
      BundleParser.reviewed(bundles, profiles, fileOf, problems);
      checkRoleSpellings(problems);
      settleUses(problems);
    }

    /**
     * One IAM role is written one way: IAM takes {@code role/Deploy} and {@code role/ops/deploy}
     * for the same role, while stint keeps each spelling's revocations (and their denies) apart, so
     * two spellings would each write the role's denies without the other's.
     */
    private void checkRoleSpellings(ProblemList problems) {
      Map<String, Profile> byRole = new LinkedHashMap<>();
      profiles
          .values()
          .forEach(
              p -> {
                Optional<AwsTarget> aws = Cloud.AWS.target(p.target());
                if (aws.isEmpty()) {
                  return;
                }
                AwsTarget t = aws.get();
                Profile other = byRole.putIfAbsent(t.role(), p);
                String written =
                    other == null
                        ? null
                        : Cloud.AWS.target(other.target()).map(AwsTarget::roleArn).orElse(null);
                if (written != null && !written.equals(t.roleArn())) {
                  problems.add(
                      fileOf.get("profiles." + p.name()),
                      "profiles." + p.name() + ".aws.role_arn",
                      "names the role of profile '"
                          + other.name()
                          + "' ("
                          + written
                          + ") written another way: write it the same in both");
                }
              });
    }

    /**
     * Each issuer's use in force: as declared, else CI only when a CI rule names it (any repository
     * on a CI provider can get a token, so such tokens must not act as people) and people only
     * otherwise. Sign-in issuers must serve people; CI rules need a CI issuer.
     */
    private void settleUses(ProblemList problems) {
      Set<String> namedByCi = new HashSet<>();
      ci.values().forEach(rule -> namedByCi.add(rule.issuerName()));
      issuers.replaceAll(
          (name, i) ->
              i.withUses(
                  i.declaredUse()
                      .orElse(
                          namedByCi.contains(name)
                              ? Set.of(IssuerUse.CI)
                              : Set.of(IssuerUse.PEOPLE))));
      ci.values()
          .forEach(
              rule -> {
                IssuerConfig issuer = issuers.get(rule.issuerName());
                if (issuer != null && !issuer.uses().contains(IssuerUse.CI)) {
                  problems.add(
                      fileOf.get("ci." + rule.name()),
                      "ci." + rule.name() + ".issuer",
                      "'"
                          + rule.issuerName()
                          + "' is for people only (use: people); CI rules need an issuer"
                          + " with use: ci or both");
                }
              });
      login.ifPresent(l -> requirePeople(l.issuerName(), "login", problems));
      web.ifPresent(w -> requirePeople(w.issuerName(), "web", problems));
    }

    private void requirePeople(String issuerName, String section, ProblemList problems) {
      IssuerConfig issuer = issuers.get(issuerName);
      if (issuer != null && !issuer.uses().contains(IssuerUse.PEOPLE)) {
        problems.add(
            fileOf.get(section),
            section + ".issuer",
            "'"
                + issuerName
                + "' is for CI"
                + " only; people sign in through an issuer with use: people or both");
      }
    }

    private void checkCiRule(CiRule rule, ProblemList problems) {
      String file = fileOf.get("ci." + rule.name());
      String key = "ci." + rule.name();
      if (!issuers.containsKey(rule.issuerName())) {
        problems.add(file, key + ".issuer", "no issuer named '" + rule.issuerName() + "'");
      } else if (login.map(l -> l.issuerName().equals(rule.issuerName())).orElse(false)) {
        problems.add(
            file,
            key + ".issuer",
            "'"
                + rule.issuerName()
                + "' is the people's login issuer; CI rules need a workload issuer");
      }
      Profile profile = profiles.get(rule.profile());
      if (profile == null) {
        problems.add(file, key + ".profile", "no profile named '" + rule.profile() + "'");
      } else if (rule.maxDuration().compareTo(profile.maxDuration()) > 0) {
        problems.add(
            file,
            key + ".max_duration",
            "longer than profile '"
                + rule.profile()
                + "' allows ("
                + Durations.format(profile.maxDuration())
                + ")");
      }
      if (profile != null) {
        FixedParameters.refusal(profile, rule.parameters(), "CI rule '" + rule.name() + "'")
            .ifPresent(why -> problems.add(file, key + ".parameters", why));
      }
    }
  }
}
