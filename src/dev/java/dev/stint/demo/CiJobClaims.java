package dev.stint.demo;

import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The claims of a CI job's OIDC token as GitHub Actions and GitLab CI write them (their public
 * references: GitHub's "OpenID Connect reference", GitLab's "ID token authentication"), for the job
 * a development request describes: the repository or project, the ref, and whatever else it names,
 * the rest filled in as the platform would for a push to that ref. Ids are strings, as both
 * platforms send them; an id not given is derived from the name, so one name keeps one id as a real
 * repository does. Pure: a parameter the platform would never produce is refused with the reason,
 * never passed on.
 */
final class CiJobClaims {
  /** GitHub's tokens are short-lived: a job asks again for each use. */
  static final Duration GITHUB_LIFETIME = Duration.ofMinutes(5);

  /** GitLab's live as long as the job may run: its timeout, an hour unless the project says. */
  static final Duration GITLAB_LIFETIME = Duration.ofHours(1);

  static final Set<String> GITHUB_PARAMETERS =
      Set.of(
          "repository",
          "ref",
          "aud",
          "environment",
          "event_name",
          "workflow",
          "actor",
          "repository_id",
          "repository_owner_id",
          "sha");

  static final Set<String> GITLAB_PARAMETERS =
      Set.of(
          "project_path",
          "ref",
          "ref_type",
          "ref_protected",
          "aud",
          "environment",
          "pipeline_source",
          "user_login",
          "project_id",
          "namespace_id",
          "sha");

  private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");
  private static final Pattern PROJECT_PATH = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+");
  private static final Pattern GITHUB_REF = Pattern.compile("refs/(heads|tags|pull)/[^\\s]+");
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.@/+-]+");
  private static final Pattern ID = Pattern.compile("[0-9]{1,18}");
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private CiJobClaims() {}

  /**
   * A GitHub Actions job's token from {@code issuer}: {@code repository} (OWNER/REPO) required;
   * {@code ref} (default {@code refs/heads/main}), {@code aud} (default GitHub's, {@code
   * https://github.com/OWNER}), {@code environment}, {@code event_name} (push), {@code workflow}
   * (deploy), {@code actor} (alice), the ids and {@code sha} optional.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code p}
   */
  static JWTClaimsSet github(URI issuer, Map<String, String> p, Instant now) {
    known(p, GITHUB_PARAMETERS);
    String repository = required(p, "repository", REPOSITORY, "OWNER/REPO");
    String owner = repository.substring(0, repository.indexOf('/'));
    String ref =
        optional(p, "ref", GITHUB_REF, "refs/heads/NAME or refs/tags/NAME", "refs/heads/main");
    Optional<String> environment =
        Optional.ofNullable(optional(p, "environment", WORD, "a name", null));
    String event = optional(p, "event_name", WORD, "an event name", "push");
    String workflow = optional(p, "workflow", WORD, "a workflow file's name", "deploy");
    String sha = optional(p, "sha", SHA, "40 lowercase hex digits", randomSha());
    String workflowRef = repository + "/.github/workflows/" + workflow + ".yml@" + ref;
    String actor = optional(p, "actor", WORD, "a login", "alice");
    // The sub GitHub writes: an environment wins over the ref, a pull request names no ref.
    String subject =
        environment
            .map(e -> "repo:" + repository + ":environment:" + e)
            .orElse(
                event.equals("pull_request")
                    ? "repo:" + repository + ":pull_request"
                    : "repo:" + repository + ":ref:" + ref);
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("ref", ref);
    claims.put("sha", sha);
    claims.put("repository", repository);
    claims.put("repository_owner", owner);
    claims.put("repository_owner_id", id(p, "repository_owner_id", owner));
    claims.put("repository_id", id(p, "repository_id", repository));
    claims.put("repository_visibility", "private");
    claims.put("run_id", randomId());
    claims.put("run_number", "1");
    claims.put("run_attempt", "1");
    claims.put("actor", actor);
    claims.put("actor_id", derivedId(actor));
    claims.put("workflow", workflow);
    claims.put("head_ref", "");
    claims.put("base_ref", "");
    claims.put("event_name", event);
    claims.put("ref_type", ref.startsWith("refs/tags/") ? "tag" : "branch");
    claims.put("ref_protected", "false");
    environment.ifPresent(e -> claims.put("environment", e));
    claims.put("workflow_ref", workflowRef);
    claims.put("workflow_sha", sha);
    claims.put("job_workflow_ref", workflowRef);
    claims.put("job_workflow_sha", sha);
    claims.put("runner_environment", "github-hosted");
    String audience = optional(p, "aud", WORD, "an audience", "https://github.com/" + owner);
    return token(issuer, subject, audience, now, GITHUB_LIFETIME, claims);
  }

  /**
   * A GitLab CI job's ID token from {@code issuer}: {@code project_path} (GROUP/PROJECT, subgroups
   * allowed) and {@code aud} (a job's {@code id_tokens:} always names one) required; {@code ref}
   * (default {@code main}, no {@code refs/heads/}), {@code ref_type} (branch), {@code
   * ref_protected} (true for the branch main, which GitLab protects by default; false otherwise),
   * {@code environment}, {@code pipeline_source} (push), {@code user_login} (alice), the ids and
   * {@code sha} optional.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code p}
   */
  static JWTClaimsSet gitlab(URI issuer, Map<String, String> p, Instant now) {
    known(p, GITLAB_PARAMETERS);
    String project = required(p, "project_path", PROJECT_PATH, "GROUP/PROJECT");
    String audience = required(p, "aud", WORD, "the aud of the job's id_tokens:");
    String ref = optional(p, "ref", WORD, "a branch or tag name", "main");
    if (ref.startsWith("refs/")) {
      throw new IllegalArgumentException(
          "ref: GitLab's ref is the bare branch or tag name (main), without refs/heads/");
    }
    String refType =
        optional(p, "ref_type", Pattern.compile("branch|tag"), "branch or tag", "branch");
    boolean defaultBranch = refType.equals("branch") && ref.equals("main");
    String refProtected =
        optional(
            p,
            "ref_protected",
            Pattern.compile("true|false"),
            "true or false",
            String.valueOf(defaultBranch));
    Optional<String> environment =
        Optional.ofNullable(optional(p, "environment", WORD, "a name", null));
    String namespace = project.substring(0, project.lastIndexOf('/'));
    String login = optional(p, "user_login", WORD, "a login", "alice");
    String sha = optional(p, "sha", SHA, "40 lowercase hex digits", randomSha());
    String refPath = (refType.equals("tag") ? "refs/tags/" : "refs/heads/") + ref;
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("namespace_id", id(p, "namespace_id", namespace));
    claims.put("namespace_path", namespace);
    claims.put("project_id", id(p, "project_id", project));
    claims.put("project_path", project);
    claims.put("user_id", derivedId(login));
    claims.put("user_login", login);
    claims.put("user_email", login + "@demo.stint.invalid");
    claims.put("user_access_level", "developer");
    claims.put("pipeline_id", randomId());
    claims.put("pipeline_source", optional(p, "pipeline_source", WORD, "a source", "push"));
    claims.put("job_id", randomId());
    claims.put("ref", ref);
    claims.put("ref_type", refType);
    claims.put("ref_path", refPath);
    claims.put("ref_protected", refProtected);
    environment.ifPresent(
        e -> {
          claims.put("environment", e);
          claims.put("environment_protected", "false");
        });
    claims.put("runner_id", derivedId("runner"));
    claims.put("runner_environment", "self-hosted");
    claims.put("sha", sha);
    claims.put("project_visibility", "private");
    claims.put(
        "ci_config_ref_uri",
        issuer.getAuthority() + issuer.getPath() + "/" + project + "//.gitlab-ci.yml@" + refPath);
    claims.put("ci_config_sha", sha);
    String subject = "project_path:" + project + ":ref_type:" + refType + ":ref:" + ref;
    return token(issuer, subject, audience, now, GITLAB_LIFETIME, claims);
  }

  private static JWTClaimsSet token(
      URI issuer,
      String subject,
      String audience,
      Instant now,
      Duration lifetime,
      Map<String, Object> claims) {
    JWTClaimsSet.Builder token =
        new JWTClaimsSet.Builder()
            .issuer(issuer.toString())
            .subject(subject)
            .audience(audience)
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)));
    claims.forEach(token::claim);
    return token.build();
  }

  /** Refuses a parameter the shape does not know, so a misspelt one is not silently ignored. */
  private static void known(Map<String, String> p, Set<String> names) {
    for (String name : p.keySet()) {
      if (!names.contains(name)) {
        throw new IllegalArgumentException(
            "unknown parameter "
                + name
                + "; known: "
                + String.join(", ", names.stream().sorted().toList()));
      }
    }
  }

  private static String required(Map<String, String> p, String name, Pattern shape, String what) {
    String value = p.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(name + " is required (" + what + ")");
    }
    return checked(name, value, shape, what);
  }

  private static String optional(
      Map<String, String> p, String name, Pattern shape, String what, String otherwise) {
    String value = p.get(name);
    return value == null || value.isEmpty() ? otherwise : checked(name, value, shape, what);
  }

  private static String checked(String name, String value, Pattern shape, String what) {
    if (!shape.matcher(value).matches()) {
      throw new IllegalArgumentException(name + " must be " + what);
    }
    return value;
  }

  private static String id(Map<String, String> p, String name, String of) {
    return optional(p, name, ID, "digits", derivedId(of));
  }

  /** The same name always gets the same id, as a repository keeps its id for life. */
  static String derivedId(String name) {
    return Long.toString(Integer.toUnsignedLong(name.hashCode()) % 900_000_000L + 100_000_000L);
  }

  private static String randomId() {
    return Long.toString(1_000_000_000L + RANDOM.nextLong(9_000_000_000L));
  }

  private static String randomSha() {
    byte[] sha = new byte[20];
    RANDOM.nextBytes(sha);
    return HexFormat.of().formatHex(sha);
  }
}
