package dev.stint.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The IAM Identity Center permissions agree three ways: the Terraform module's statements
 * (terraform/aws/identity_center.tf), the ones docs/clouds.md shows, statement by statement, and
 * the AWS calls the code makes for such grants (the assigner, the provisioned-role lookup and the
 * writer of the member account's portal revocation policy a revoke uses). A call added without its
 * permission, or a permission left after its call is gone, fails here rather than in someone's AWS
 * account. No statement lets stint write to the provisioned roles: AWS refuses it anyway.
 */
class IdentityCenterPermissionsDocTest {
  private static final Path MODULE = Path.of("terraform", "aws", "identity_center.tf");
  private static final Path DOC = Path.of("docs", "clouds.md");
  private static final Path AWS = Path.of("src", "main", "java", "dev", "stint", "mint", "aws");

  /** What AWS checks of the caller when an assignment provisions a role; stint never calls it. */
  private static final String PROVISIONING = "IdentityCenterProvisioning";

  private static final Pattern SID = Pattern.compile("sid\\s*=\\s*\"(\\w+)\"");
  private static final Pattern ACTIONS =
      Pattern.compile("actions\\s*=\\s*\\[([^\\]]*)\\]", Pattern.DOTALL);
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");
  private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);

  /**
   * An SDK client's call: the variable or accessor the client is held in ({@code admin}, {@code
   * clients.admin()}), then the method.
   */
  private static Pattern calls(String client) {
    return Pattern.compile("\\b" + client + "(?:\\(\\))?\\s*\\.\\s*(\\w+)\\s*\\(");
  }

  @Test
  void theDocShowsTheModulesStatementsWordForWord() throws IOException {
    Map<String, Set<String>> module = moduleStatements();
    assertThat(module)
        .containsKeys(
            "IdentityCenterAssignments",
            "IdentityCenterAssignmentStatus",
            "IdentityStoreUsers",
            PROVISIONING,
            "FindIdentityCenterRoles",
            "ReadIdentityCenterRolePolicies",
            "MaintainPortalRevocationPolicy");
    assertThat(docStatements()).isEqualTo(module);
  }

  @Test
  void theModuleAllowsExactlyTheCallsTheCodeMakes() throws IOException {
    Set<String> allowed = new TreeSet<>();
    moduleStatements()
        .forEach((sid, actions) -> allowed.addAll(sid.equals(PROVISIONING) ? Set.of() : actions));

    Set<String> called = new TreeSet<>();
    for (String file : new String[] {"IdentityCenterAssigner.java", "ProvisionedRoles.java"}) {
      String source = read(AWS.resolve(file));
      called.addAll(actions(source, "admin", "sso"));
      called.addAll(actions(source, "store", "identitystore"));
      // The member account's IAM, held as {@code iam}: the role found, and what is attached to it.
      called.addAll(actions(source, "iam", "iam"));
    }
    // The deny a revoke writes goes to the member account's policy the permission set references.
    for (String file : new String[] {"PortalRevocations.java", "PolicyVersions.java"}) {
      called.addAll(actions(read(AWS.resolve(file)), "iam", "iam"));
    }

    assertThat(called)
        .contains(
            "sso:CreateAccountAssignment",
            "sso:ListCustomerManagedPolicyReferencesInPermissionSet",
            "iam:ListRoles",
            "iam:ListAttachedRolePolicies",
            "iam:CreatePolicyVersion")
        .doesNotContain("iam:PutRolePolicy", "iam:AttachRolePolicy");
    assertThat(allowed).isEqualTo(called);
  }

  /**
   * Assignments are allowed on the permission sets and accounts the operator names and no others:
   * the module has no wildcard for either, requires both lists, and reaches the management account
   * only when told to.
   */
  @Test
  void theModuleAssignsOnlyThePermissionSetsAndAccountsItIsGiven() throws IOException {
    String tf = read(MODULE);
    assertThat(tf).doesNotContain("permissionSet/${local.ic_instance_id}/*", "sso:::account/*");
    String variables = read(MODULE.resolveSibling("variables.tf"));
    assertThat(variables)
        .contains(
            "permission_set_arns       = list(string)",
            "account_ids               = list(string)",
            "length(var.identity_center.account_ids) > 0"
                + " && length(var.identity_center.permission_set_arns) > 0");
    assertThat(tf)
        .contains(
            "var.identity_center.allow_management_account || !contains("
                + "var.identity_center.account_ids, data.aws_caller_identity.current.account_id)");
  }

  /** A deployment of Identity Center grants alone still reads their portal sessions' activity. */
  @Test
  void anAccountOfProvisionedRolesMayLookUpTheirActivity() throws IOException {
    String role = read(MODULE.resolveSibling("stint_role.tf"));
    int activity = role.indexOf("sid       = \"LookUpActivity\"");
    assertThat(activity).isPositive();
    assertThat(role.substring(role.lastIndexOf("for_each", activity), activity))
        .contains("var.identity_center_roles");
  }

  private static Set<String> actions(String source, String client, String service) {
    Set<String> found = new TreeSet<>();
    Matcher m = calls(client).matcher(source);
    while (m.find()) {
      String method = m.group(1).replaceFirst("Paginator$", "");
      if (!method.equals("close")) {
        found.add(service + ":" + Character.toUpperCase(method.charAt(0)) + method.substring(1));
      }
    }
    return found;
  }

  private static Map<String, Set<String>> moduleStatements() throws IOException {
    String tf = read(MODULE);
    Map<String, Set<String>> statements = new TreeMap<>();
    Matcher sid = SID.matcher(tf);
    while (sid.find()) {
      Matcher actions = ACTIONS.matcher(tf);
      assertThat(actions.find(sid.end())).as("actions of %s", sid.group(1)).isTrue();
      statements.put(sid.group(1), quoted(actions.group(1)));
    }
    return statements;
  }

  /** The statements of the JSON blocks in the doc's Identity Center section. */
  private static Map<String, Set<String>> docStatements() throws IOException {
    String doc = read(DOC);
    int from = doc.indexOf("## AWS IAM Identity Center");
    int to = doc.indexOf("### The engineer's side", from);
    assertThat(from).isNotNegative();
    assertThat(to).isGreaterThan(from);
    Map<String, Set<String>> statements = new TreeMap<>();
    Matcher block = JSON_BLOCK.matcher(doc.substring(from, to));
    while (block.find()) {
      JsonObject json = new JsonObject(block.group(1));
      JsonArray list =
          json.containsKey("Statement")
              ? json.getJsonArray("Statement")
              : new JsonArray().add(json);
      for (int i = 0; i < list.size(); i++) {
        JsonObject statement = list.getJsonObject(i);
        Object action = statement.getValue("Action");
        Set<String> actions = new TreeSet<>();
        if (action instanceof JsonArray a) {
          a.forEach(x -> actions.add((String) x));
        } else {
          actions.add((String) action);
        }
        statements.put(statement.getString("Sid"), actions);
      }
    }
    return statements;
  }

  private static Set<String> quoted(String list) {
    Set<String> found = new TreeSet<>();
    Matcher m = QUOTED.matcher(list);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  private static String read(Path path) throws IOException {
    return Files.readString(path, StandardCharsets.UTF_8);
  }
}
