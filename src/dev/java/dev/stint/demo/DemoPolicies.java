package dev.stint.demo;

import dev.stint.cloud.AccountAssignment;
import dev.stint.cloud.Cloud;
import dev.stint.policy.IssuerConfig;
import dev.stint.policy.LoginConfig;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyException;
import dev.stint.policy.PolicyLoader;
import dev.stint.policy.WebConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shipped demo policy ({@code policies/demo/}): read once to learn the clients and audience the
 * development IdP must serve, then copied into the demo's temporary directory with the IdP's real
 * URL in place of {@link #PLACEHOLDER} (its port is only known once it listens).
 */
final class DemoPolicies {
  static final String PLACEHOLDER = "http://127.0.0.1:9/dev-idp-url-set-by-stint-demo";

  /** Where the development CI issuer's URL goes: its issuers are this followed by their path. */
  static final String CI_PLACEHOLDER = "http://127.0.0.1:9/dev-ci-issuer-url-set-by-stint-demo";

  private final Path shipped;
  private final Policy policy;
  private final LoginConfig login;
  private final IssuerConfig issuer;
  private final WebConfig web;

  DemoPolicies(Path shipped) {
    this.shipped = shipped;
    try {
      this.policy = new PolicyLoader().load(shipped);
    } catch (PolicyException e) {
      throw new IllegalArgumentException("demo policies in " + shipped + ": " + e.getMessage(), e);
    }
    this.login =
        policy
            .login()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "demo policies in " + shipped + " have no login: block"));
    this.issuer =
        policy
            .issuer(login.issuerName())
            .filter(i -> PLACEHOLDER.equals(i.issuerUrl()))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "demo policies in "
                            + shipped
                            + ": the login issuer must have the URL "
                            + PLACEHOLDER
                            + ", which the demo replaces"));
    this.web =
        policy
            .web()
            .filter(w -> w.issuerName().equals(login.issuerName()))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "demo policies in "
                            + shipped
                            + " need a web: block with the same issuer as login:"));
  }

  String webClientId() {
    return web.clientId();
  }

  String cliClientId() {
    return login.clientId();
  }

  String audience() {
    return issuer.audience();
  }

  /** Role names of the AWS profiles, which the IAM stand-in must know for revocations. */
  List<String> awsRoleNames() {
    return policy.profiles().values().stream()
        .flatMap(p -> Cloud.AWS.target(p.target()).stream())
        .filter(t -> t.assignment().isEmpty())
        .map(t -> t.roleArn().substring(t.roleArn().lastIndexOf('/') + 1))
        .toList();
  }

  /** The account assignments of the identity_center profiles, which the stand-ins must know. */
  List<AccountAssignment> identityCenter() {
    return policy.profiles().values().stream()
        .flatMap(p -> Cloud.AWS.target(p.target()).stream())
        .flatMap(t -> t.assignment().stream())
        .toList();
  }

  /**
   * Copies the policy files into {@code target}, naming the running IdP as the issuer and the
   * running CI issuer's server ({@code ciIssuerUrl}) as the base of the CI issuers.
   */
  void writeTo(Path target, String issuerUrl, String ciIssuerUrl) throws IOException {
    Files.createDirectories(target);
    // A kept demo's directory holds the last run's copy: a file since removed must not stay.
    try (Stream<Path> old = Files.list(target)) {
      for (Path file : old.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        Files.delete(file);
      }
    }
    for (Path file : policy.files()) {
      String text =
          Files.readString(file, StandardCharsets.UTF_8)
              .replace(PLACEHOLDER, issuerUrl)
              .replace(CI_PLACEHOLDER, ciIssuerUrl);
      Files.writeString(target.resolve(shipped.relativize(file)), text, StandardCharsets.UTF_8);
    }
  }
}
