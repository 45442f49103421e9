package dev.stint.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.scim2.client.ScimService;
import com.unboundid.scim2.common.exceptions.ResourceConflictException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.messages.ListResponse;
import com.unboundid.scim2.common.types.AttributeDefinition;
import com.unboundid.scim2.common.types.Email;
import com.unboundid.scim2.common.types.GroupResource;
import com.unboundid.scim2.common.types.Member;
import com.unboundid.scim2.common.types.SchemaResource;
import com.unboundid.scim2.common.types.ServiceProviderConfigResource;
import com.unboundid.scim2.common.types.UserResource;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.glassfish.jersey.client.ClientConfig;
import org.glassfish.jersey.jnh.connector.JavaNetHttpConnectorProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A SCIM client nobody here wrote, UnboundID's SDK on Jersey, against a whole stint server: it
 * reads the discovery documents, creates users and groups, filters, patches and deletes them, and
 * gets stint's refusals as the SDK's typed exceptions. Its requests are its own (media types,
 * PatchOp bodies, filters as it encodes them), so this checks stint against another reading of the
 * RFCs than the one stint was written from.
 */
class ScimClientIT {
  static final String TOKEN = "scim-it-token-0123456789abcdef0123456789abcd";
  static final String PUBLIC_URL = "https://stint.example.com";
  static DatabaseUrl database;
  static TestServer server;
  static Client client;
  static ScimService scim;

  @BeforeAll
  static void start() {
    database = TestPostgres.migratedDatabase();
    server =
        TestServer.start(
            database,
            Map.of(
                "STINT_DIRECTORY_SCIM_TOKEN",
                TOKEN,
                "STINT_DIRECTORY_ISSUER",
                "corp",
                "STINT_PUBLIC_URL",
                PUBLIC_URL),
            "issuers:\n  corp: {issuer: https://login.example.com, audience: stint}\nprofiles: {}\n");
    // Jersey's default connector (HttpURLConnection) refuses PATCH; the JDK's HttpClient sends it.
    client =
        ClientBuilder.newClient(
                new ClientConfig().connectorProvider(new JavaNetHttpConnectorProvider()))
            .register(
                (ClientRequestFilter)
                    request -> request.getHeaders().add("Authorization", "Bearer " + TOKEN));
    scim = new ScimService(client.target(server.uri("/scim/v2")));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.close();
  }

  static UserResource user(String userName, String email) {
    UserResource u = new UserResource().setUserName(userName).setDisplayName("Name " + userName);
    u.setExternalId("ext-" + userName);
    u.setActive(true);
    u.setEmails(List.of(new Email().setValue(email).setType("work").setPrimary(true)));
    return u;
  }

  @Test
  void theClientReadsWhatTheProviderSupports() throws Exception {
    ServiceProviderConfigResource config = scim.getServiceProviderConfig();
    assertThat(config.getPatch().isSupported()).isTrue();
    assertThat(config.getBulk().isSupported()).isFalse();
    assertThat(config.getFilter().isSupported()).isTrue();
    assertThat(scim.getResourceTypes().getTotalResults()).isEqualTo(2);
    assertThat(scim.getSchemas().getResources()).hasSize(2);
  }

  @Test
  void usersAreCreatedFilteredPatchedAndDeleted() throws Exception {
    UserResource made = scim.create("Users", user("ada@corp.example", "Ada@Analytical.example"));
    String id = made.getId();
    assertThat(made.getMeta().getLocation())
        .isEqualTo(URI.create(PUBLIC_URL + "/scim/v2/Users/" + id));
    assertThat(made.getMeta().getVersion()).isEqualTo("W/\"1\"");
    assertThatThrownBy(() -> scim.create("Users", user("ADA@corp.example", "x@corp.example")))
        .isInstanceOf(ResourceConflictException.class);

    ListResponse<UserResource> found =
        scim.searchRequest("Users")
            .filter(Filter.eq("userName", "ada@CORP.example").toString())
            .invoke(UserResource.class);
    assertThat(found.getTotalResults()).isEqualTo(1);
    assertThat(found.getResources().get(0).getId()).isEqualTo(id);
    assertThat(
            scim.searchRequest("Users")
                .filter(Filter.co("emails.value", "@analytical.EXAMPLE").toString())
                .invoke(UserResource.class)
                .getTotalResults())
        .isEqualTo(1);

    UserResource patched =
        scim.modifyRequest("Users", id)
            .replaceValue("active", false)
            .replaceValue("displayName", "Ada Lovelace")
            .invoke(UserResource.class);
    assertThat(patched.getActive()).isFalse();
    assertThat(patched.getDisplayName()).isEqualTo("Ada Lovelace");
    assertThat(scim.retrieve("Users", id, UserResource.class).getActive()).isFalse();

    scim.delete("Users", id);
    assertThatThrownBy(() -> scim.retrieve("Users", id, UserResource.class))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThat(
            AuditTables.strings(
                database,
                "SELECT type FROM audit_events WHERE details->>'user_id' = '"
                    + id
                    + "' ORDER BY seq"))
        .containsExactly(
            "directory.user.created", "directory.user.updated", "directory.user.deleted");
  }

  @Test
  void groupsAreCreatedFilteredGivenAndRelievedOfMembersAndDeleted() throws Exception {
    String a = scim.create("Users", user("grace@corp.example", "grace@corp.example")).getId();
    String b = scim.create("Users", user("alan@corp.example", "alan@corp.example")).getId();
    GroupResource made =
        scim.create(
            "Groups",
            new GroupResource()
                .setDisplayName("prod-approvers")
                .setMembers(List.of(new Member().setValue(a))));
    String id = made.getId();
    assertThat(made.getMembers()).extracting(Member::getValue).containsExactly(a);

    ListResponse<GroupResource> found =
        scim.searchRequest("Groups")
            .filter(Filter.eq("displayName", "PROD-approvers").toString())
            .invoke(GroupResource.class);
    assertThat(found.getResources()).extracting(GroupResource::getId).containsExactly(id);

    GroupResource added =
        scim.modifyRequest("Groups", id)
            .addValues("members", new Member().setValue(b))
            .invoke(GroupResource.class);
    assertThat(added.getMembers()).extracting(Member::getValue).containsExactlyInAnyOrder(a, b);
    GroupResource removed =
        scim.modifyRequest("Groups", id)
            .removeValues("members[value eq \"" + a + "\"]")
            .invoke(GroupResource.class);
    assertThat(removed.getMembers()).extracting(Member::getValue).containsExactly(b);

    assertThatThrownBy(
            () ->
                scim.modifyRequest("Groups", id)
                    .addValues("members", new Member().setValue("no-such-user"))
                    .invoke(GroupResource.class))
        .isInstanceOfSatisfying(
            ScimException.class, e -> assertThat(e.getScimError().getStatus()).isEqualTo(400));

    scim.delete("Groups", id);
    assertThatThrownBy(() -> scim.retrieve("Groups", id, GroupResource.class))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  /**
   * The SDK's reading of the Group schema: a member is value, $ref (to a User), type and display,
   * and a member the SDK sends with all of them is taken; {@code attributes} narrows a read; {@code
   * /Me}, which stint does not support, is the SDK's 501.
   */
  @Test
  void theClientSendsMembersAsTheSchemaDeclaresThemNarrowsReadsAndIsToldMeIsNotImplemented()
      throws Exception {
    SchemaResource schema = scim.getSchema("urn:ietf:params:scim:schemas:core:2.0:Group");
    AttributeDefinition members =
        schema.getAttributes().stream()
            .filter(a -> a.getName().equals("members"))
            .findFirst()
            .orElseThrow();
    Map<String, AttributeDefinition> sub =
        members.getSubAttributes().stream()
            .collect(Collectors.toMap(AttributeDefinition::getName, a -> a));
    assertThat(sub).containsOnlyKeys("value", "$ref", "type", "display");
    assertThat(sub.get("$ref").getType()).isEqualTo(AttributeDefinition.Type.REFERENCE);
    assertThat(sub.get("$ref").getReferenceTypes()).containsExactly("User");
    assertThat(sub.get("type").getCanonicalValues()).containsExactly("User");

    UserResource ann = scim.create("Users", user("ann@corp.example", "ann@corp.example"));
    GroupResource made =
        scim.create(
            "Groups",
            new GroupResource()
                .setDisplayName("schema-driven")
                .setMembers(
                    List.of(
                        new Member()
                            .setValue(ann.getId())
                            .setRef(ann.getMeta().getLocation())
                            .setType("User"))));
    assertThat(made.getMembers()).extracting(Member::getValue).containsExactly(ann.getId());
    assertThat(made.getMembers().get(0).getRef()).isEqualTo(ann.getMeta().getLocation());

    UserResource narrowed =
        scim.retrieveRequest("Users", ann.getId())
            .attributes("userName")
            .invoke(UserResource.class);
    assertThat(narrowed.getUserName()).isEqualTo("ann@corp.example");
    assertThat(narrowed.getId()).isEqualTo(ann.getId());
    assertThat(narrowed.getDisplayName()).isNull();
    assertThat(narrowed.getEmails()).isNull();
    GroupResource withoutMembers =
        scim.retrieveRequest("Groups", made.getId())
            .excludedAttributes("members")
            .invoke(GroupResource.class);
    assertThat(withoutMembers.getDisplayName()).isEqualTo("schema-driven");
    assertThat(withoutMembers.getMembers()).isNull();
    assertThat(scim.retrieve("Users", ann.getId(), UserResource.class).getGroups())
        .extracting(g -> g.getValue())
        .containsExactly(made.getId());

    assertThatThrownBy(() -> scim.retrieve(ScimService.ME_URI, UserResource.class))
        .isInstanceOfSatisfying(
            ScimException.class, e -> assertThat(e.getScimError().getStatus()).isEqualTo(501));
  }

  @Test
  void theTokenIsCheckedBeforeTheBodyIsReadAndTheBodyIsBounded() throws Exception {
    String big = "{\"userName\": \"" + "x".repeat(100 * 1024) + "\"}";
    HttpRequest.Builder post =
        HttpRequest.newBuilder(server.uri("/scim/v2/Users"))
            .header("Content-Type", "application/scim+json")
            .POST(HttpRequest.BodyPublishers.ofString(big));
    HttpResponse<String> anonymous = server.send(post.build());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).contains("urn:ietf:params:scim:api:messages:2.0:Error");
    HttpResponse<String> tooLarge =
        server.send(post.header("Authorization", "Bearer " + TOKEN).build());
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.body()).contains("\"status\":\"413\"");
  }
}
