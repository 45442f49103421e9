package dev.stint.agent;

import static dev.stint.agent.AgentServer.JSON;
import static dev.stint.agent.AgentServer.ask;
import static dev.stint.agent.AgentServer.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.agent.AgentServer.Answer;
import dev.stint.testing.DenyEvaluator.Session;
import dev.stint.testing.FakeAwsEndpoint.Call;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An enrolled agent from enrollment to the end of what it asked, on a real server: its token shown
 * once and kept hashed; its ask a lease that waits for its holder even on a profile that would not
 * wait for a person's lease; approvers told which agent asked; minted with its own token only once
 * approved; ended by the agent, or with every other lease it asked when its person revokes it, each
 * session denied in IAM.
 */
class AgentFlowTest {
  static AgentServer s;

  @BeforeAll
  static void start() {
    s = new AgentServer();
  }

  @AfterAll
  static void stop() throws Exception {
    s.close();
  }

  static Answer mint(String token, String leaseId) {
    return s.post(token, "/v1/credentials", JSON.createObjectNode().put("lease", leaseId));
  }

  static Call callOf(String leaseId) {
    return s.sts.assumeCalls().stream()
        .filter(c -> String.valueOf(c.param("SourceIdentity")).endsWith("." + leaseId))
        .reduce((a, b) -> b)
        .orElseThrow();
  }

  /** Every {@code /v1} route the sources register, as {@code METHOD /v1/path}. */
  static List<String> apiRoutes() throws IOException {
    Pattern route = Pattern.compile("v1\\s*\\.(get|post|put|delete|patch)\\(\"(/[^\"]*)\"");
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/stint"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = route.matcher(Files.readString(f));
        while (m.find()) {
          out.add(m.group(1).toUpperCase(Locale.ROOT) + " /v1" + m.group(2));
        }
      }
    }
    return out;
  }

  @Test
  void anAgentTokenIsRefusedOnEveryRouteButItsOwnAndMinting() throws IOException {
    String token = s.enroll("fox", "coder", List.of("s3-read"), null).text("agent_token");
    List<String> routes = apiRoutes();
    assertThat(routes).hasSizeGreaterThan(40).contains("POST /v1/agents", "GET /v1/agents");
    List<String> open = new ArrayList<>();
    for (String r : routes) {
      String method = r.substring(0, r.indexOf(' '));
      String path = r.substring(r.indexOf(' ') + 1).replaceAll(":[a-z_]+", "x");
      boolean own = path.equals("/v1/agent") || path.startsWith("/v1/agent/");
      if (own || path.equals("/v1/credentials")) {
        continue;
      }
      Answer answer = s.send(token, method, path, method.equals("GET") ? "" : "{}");
      if (answer.status() != 401) {
        open.add(r + " answered " + answer.status());
      }
    }
    assertThat(open).as("routes an agent token reached").isEmpty();
    Answer profile =
        s.post(token, "/v1/credentials", JSON.createObjectNode().put("profile", "s3-read"));
    assertThat(profile.status()).isEqualTo(401);
    assertThat(
            s.count(
                "SELECT count(*) FROM audit_events WHERE type = 'identity.refused'"
                    + " AND actor_issuer = 'urn:stint:agent'"))
        .isGreaterThan(40);
  }

  @Test
  void enrollmentShowsTheTokenOnceAndKeepsOnlyItsHash() {
    Answer enrolled = s.enroll("ann", "coder", List.of("s3-read"), null);

    assertThat(enrolled.status()).as(enrolled.body().toString()).isEqualTo(201);
    String token = enrolled.text("agent_token");
    String id = enrolled.text("id");
    assertThat(token).startsWith("sta_");
    assertThat(AgentTokens.agentOf(token)).contains(id);
    assertThat(enrolled.text("expires_at")).isNotEmpty();
    assertThat(s.count("SELECT count(*) FROM agents WHERE token_sha256 = '" + token + "'"))
        .isZero();
    assertThat(
            s.count(
                "SELECT count(*) FROM agents WHERE token_sha256 = '"
                    + AgentTokens.hash(token)
                    + "'"))
        .isEqualTo(1);
    Answer listed = s.send(s.person("ann"), "GET", "/v1/agents", "");
    assertThat(listed.body().get("agents").get(0).get("name").asText()).isEqualTo("coder");
    assertThat(listed.body().toString()).doesNotContain(token).doesNotContain("agent_token");
    assertThat(s.send(s.person("other"), "GET", "/v1/agents", "").body().get("agents")).isEmpty();
    assertThat(
            s.strings(
                "SELECT details->>'agent_name' FROM audit_events WHERE type = 'agent.enrolled'"
                    + " AND details->>'agent_id' = '"
                    + id
                    + "'"))
        .containsExactly("coder");
    assertThat(
            s.count(
                "SELECT count(*) FROM audit_events WHERE strpos(details::text, '"
                    + token.substring(token.indexOf('.') + 1)
                    + "') > 0"))
        .isZero();
  }

  @Test
  void anAsksLeaseWaitsForItsHolderMintsOnceApprovedAndEndsWhenTheAgentEndsIt() throws Exception {
    String request = s.grant("bea", "s3-read", "team-b");
    String token = s.enroll("bea", "coder", List.of("s3-read"), null).text("agent_token");
    int before = s.sts.assumeCalls().size();

    Answer asked = s.post(token, "/v1/agent/leases", ask("s3-read", "read the March logs", 900));

    assertThat(asked.status()).as(asked.body().toString()).isEqualTo(201);
    String leaseId = asked.text("lease_id");
    assertThat(asked.text("state")).isEqualTo("pending");
    assertThat(asked.text("request_id")).isEqualTo(request);
    assertThat(asked.text("approval_url")).endsWith("/ui/leases/" + leaseId);
    assertThat(asked.text("asked_by")).isEqualTo("asked by agent coder (bea@example.com's)");
    assertThat(mint(token, leaseId).status()).isEqualTo(403);
    assertThat(s.sts.assumeCalls()).hasSize(before);
    Answer byApprover = s.send(s.idp.token("sam", "sre"), "GET", "/v1/leases/" + leaseId, "");
    assertThat(byApprover.text("asked_by")).isEqualTo("asked by agent coder (bea@example.com's)");
    assertThat(byApprover.text("task")).isEqualTo("read the March logs");
    assertThat(
            s.post(token, "/v1/leases/" + leaseId + "/approve", JSON.createObjectNode()).status())
        .isEqualTo(401);
    assertThat(
            s.strings(
                "SELECT actor_subject || ' ' || (details->>'agent_name') FROM audit_events"
                    + " WHERE type = 'lease.requested' AND details->>'lease_id' = '"
                    + leaseId
                    + "'"))
        .containsExactly(AgentTokens.agentOf(token).orElseThrow() + " coder");

    Answer approved =
        s.post(s.person("bea"), "/v1/leases/" + leaseId + "/approve", JSON.createObjectNode());

    assertThat(approved.status()).as(approved.body().toString()).isEqualTo(200);
    assertThat(approved.text("state")).isEqualTo("active");
    Answer minted = mint(token, leaseId);
    assertThat(minted.status()).as(minted.body().toString()).isEqualTo(200);
    Call call = callOf(leaseId);
    assertThat(call.param("Policy")).contains("team-b");
    assertThat(s.send(token, "GET", "/v1/agent/leases/" + leaseId, "").text("state"))
        .isEqualTo("active");

    Answer ended = s.post(token, "/v1/agent/leases/" + leaseId + "/end", JSON.createObjectNode());

    assertThat(ended.status()).as(ended.body().toString()).isEqualTo(200);
    assertThat(ended.text("state")).isEqualTo("revoked");
    Instant later = Instant.now().plusSeconds(1);
    eventually(
        () -> s.iam.denies("reader", Session.of(call, Instant.now().minusSeconds(5)), later),
        "the ended lease's session denied");
    assertThat(mint(token, leaseId).status()).isEqualTo(403);
  }

  /**
   * Where the profile has every lease wait for an approver, an agent's ask is no way around it: its
   * holder may not approve it (nobody approves their own access), an approver does.
   */
  @Test
  void onAProfileWhoseLeasesWaitForAnApproverTheHolderCannotApproveTheirAgentsAsk() {
    s.grant("gwen", "guarded", null);
    String token = s.enroll("gwen", "coder", List.of("guarded"), null).text("agent_token");
    Answer asked = s.post(token, "/v1/agent/leases", ask("guarded", "rotate the logs", 900));
    assertThat(asked.status()).as(asked.body().toString()).isEqualTo(201);
    String leaseId = asked.text("lease_id");

    Answer byHolder =
        s.post(s.person("gwen"), "/v1/leases/" + leaseId + "/approve", JSON.createObjectNode());

    assertThat(byHolder.status()).as(byHolder.body().toString()).isEqualTo(403);
    assertThat(mint(token, leaseId).status()).isEqualTo(403);
    assertThat(s.send(token, "GET", "/v1/agent/leases/" + leaseId, "").text("state"))
        .isEqualTo("pending");
    Answer byApprover =
        s.send(s.idp.token("sam", "sre"), "POST", "/v1/leases/" + leaseId + "/approve", "{}");
    assertThat(byApprover.status()).as(byApprover.body().toString()).isEqualTo(200);
    assertThat(byApprover.text("state")).isEqualTo("active");
  }

  @Test
  void withoutAGrantAnAskFilesOneRequestInThePersonsNameThroughItsApproval() {
    String token = s.enroll("gus", "coder", List.of("other"), null).text("agent_token");
    int before = s.sts.assumeCalls().size();

    Answer asked = s.post(token, "/v1/agent/leases", ask("other", "rotate the build cache", 600));
    Answer again = s.post(token, "/v1/agent/leases", ask("other", "rotate the build cache", 600));

    assertThat(asked.status()).as(asked.body().toString()).isEqualTo(201);
    assertThat(asked.body().get("lease_id").isNull()).isTrue();
    String request = asked.text("request_id");
    assertThat(asked.text("state")).isEqualTo("pending");
    assertThat(asked.text("approval_url")).endsWith("/ui/requests/" + request);
    assertThat(again.text("request_id"))
        .as("one request, however often it asks")
        .isEqualTo(request);
    Answer seen = s.send(s.idp.token("sam", "sre"), "GET", "/v1/requests/" + request, "");
    assertThat(seen.text("reason"))
        .isEqualTo("asked by agent coder (gus@example.com's): rotate the build cache");
    assertThat(seen.body().path("requester").path("subject").asText()).isEqualTo("gus");
    assertThat(s.count("SELECT count(*) FROM leases WHERE request_id = '" + request + "'"))
        .isZero();
    assertThat(s.sts.assumeCalls()).hasSize(before);

    Answer approved =
        s.post(
            s.idp.token("sam", "sre"),
            "/v1/requests/" + request + "/approve",
            JSON.createObjectNode());
    assertThat(approved.text("state")).isEqualTo("active");
    Answer leased = s.post(token, "/v1/agent/leases", ask("other", "rotate the build cache", 600));

    assertThat(leased.status()).as(leased.body().toString()).isEqualTo(201);
    assertThat(leased.text("state")).isEqualTo("pending");
    assertThat(leased.text("request_id")).isEqualTo(request);
  }

  @Test
  void anAsksLeaseEndsByTheAgentsEndAtTheLatest() {
    s.grant("hal", "s3-read", "team-h");
    Answer enrolled = s.enroll("hal", "brief", List.of("s3-read"), 600L);
    Instant agentEnds = Instant.parse(enrolled.text("expires_at"));

    Answer asked =
        s.post(enrolled.text("agent_token"), "/v1/agent/leases", ask("s3-read", "one", 3000));

    assertThat(asked.status()).as(asked.body().toString()).isEqualTo(201);
    assertThat(Instant.parse(asked.text("expires_at"))).isEqualTo(agentEnds);
  }

  @Test
  void anAgentNeitherReadsNorEndsNorMintsAnotherAgentsLease() {
    s.grant("cy", "s3-read", "team-c");
    String mine = s.enroll("cy", "coder", List.of("s3-read"), null).text("agent_token");
    String other = s.enroll("cy", "helper", List.of("s3-read"), null).text("agent_token");
    String leaseId = s.post(mine, "/v1/agent/leases", ask("s3-read", "read", 600)).text("lease_id");
    s.post(s.person("cy"), "/v1/leases/" + leaseId + "/approve", JSON.createObjectNode());
    int before = s.sts.assumeCalls().size();

    assertThat(s.send(other, "GET", "/v1/agent/leases/" + leaseId, "").status()).isEqualTo(403);
    assertThat(
            s.post(other, "/v1/agent/leases/" + leaseId + "/end", JSON.createObjectNode()).status())
        .isEqualTo(403);
    assertThat(mint(other, leaseId).status()).isEqualTo(403);
    assertThat(s.sts.assumeCalls()).hasSize(before);
    assertThat(s.send(mine, "GET", "/v1/agent/leases/" + leaseId, "").text("state"))
        .isEqualTo("active");
  }

  @Test
  void revokingAnAgentEndsEveryLeaseItAskedAndItsToken() throws Exception {
    s.grant("dee", "s3-read", "team-d");
    Answer enrolled = s.enroll("dee", "coder", List.of("s3-read"), null);
    String token = enrolled.text("agent_token");
    String live = s.post(token, "/v1/agent/leases", ask("s3-read", "one", 600)).text("lease_id");
    String waiting = s.post(token, "/v1/agent/leases", ask("s3-read", "two", 600)).text("lease_id");
    s.post(s.person("dee"), "/v1/leases/" + live + "/approve", JSON.createObjectNode());
    assertThat(mint(token, live).status()).isEqualTo(200);
    Call call = callOf(live);

    Answer byOther =
        s.post(
            s.person("eve"),
            "/v1/agents/" + enrolled.text("id") + "/revoke",
            JSON.createObjectNode());
    Answer revoked =
        s.post(
            s.person("dee"),
            "/v1/agents/" + enrolled.text("id") + "/revoke",
            JSON.createObjectNode());

    assertThat(byOther.status()).isEqualTo(404);
    assertThat(revoked.status()).as(revoked.body().toString()).isEqualTo(200);
    assertThat(revoked.text("state")).isEqualTo("revoked");
    assertThat(
            s.strings("SELECT state FROM leases WHERE id IN ('" + live + "', '" + waiting + "')"))
        .containsOnly("revoked");
    Instant later = Instant.now().plusSeconds(1);
    eventually(
        () -> s.iam.denies("reader", Session.of(call, Instant.now().minusSeconds(5)), later),
        "the revoked agent's session denied");
    assertThat(s.send(token, "GET", "/v1/agent", "").status()).isEqualTo(401);
    assertThat(mint(token, live).status()).isEqualTo(401);
    assertThat(
            s.strings(
                "SELECT details->>'leases_ended' FROM audit_events WHERE type = 'agent.revoked'"
                    + " AND details->>'agent_id' = '"
                    + enrolled.text("id")
                    + "'"))
        .containsExactly("2");
  }
}
