package dev.stint.demo;

import java.net.URI;

/**
 * The walkthrough's step of an agent that asks: alice enrolls an AI agent for demo-bucket-read, the
 * scripted agent ({@link DemoAgent}, an MCP client through the official Java SDK) asks {@code stint
 * mcp} for its own lease of her grant, alice approves it in the Slack stand-in or on its page, the
 * agent lists the bucket with the AWS profile stint wrote and ends its access; her request's page
 * shows the agent, the task, the lease, and the lease's page its calls.
 */
final class DemoAgentWalkthrough {
  /** The enrolled agent's name, as approvers read it: "asked by agent coder (alice's)". */
  static final String AGENT = "coder";

  private DemoAgentWalkthrough() {}

  /** Where the enrollment writes the agent's token: in step 4's CLI folders. */
  static String agentFile(DemoStack stack) {
    return stack.workDir().resolve("cli").resolve("agents").resolve(AGENT + ".token").toString();
  }

  static String text(DemoStack stack) {
    URI ui = stack.url().resolve("/ui");
    DevUser alice = DevUser.ALL.get(0);
    String slack = stack.standIns().slack().uri() + "/?as=" + alice.slackMember();
    return String.join(
        "\n",
        " 12. An agent that asks: alice enrolls an AI agent, "
            + AGENT
            + ", which may ask for "
            + DemoAgentTask.PROFILE,
        "     itself, a person approving each ask. In step 4's terminal, as alice, with step 9's",
        "     grant active:",
        "       bin/stint agent enroll "
            + AGENT
            + " --profile "
            + DemoAgentTask.PROFILE
            + " --token-file "
            + agentFile(stack),
        "     Run the scripted agent, an MCP client (the Java SDK's) that starts bin/stint mcp with",
        "     the agent file alone, never alice's login:",
        "       bin/stint demo agent --agent-file "
            + agentFile(stack)
            + " --endpoint-url "
            + stack.standIns().s3().uri(),
        "     It asks for "
            + DemoAgentTask.PROFILE
            + " with bucket="
            + DemoBucket.NAME
            + " for one task,",
        "     prints the lease (LEASE, lse_...) and waits. alice approves it in #approvals at",
        "     " + slack + ": the message says \"" + label(alice) + "\"",
        "     with the task, the bucket and the policy; press Approve (or Approve on",
        "     " + ui + "/leases/LEASE). The agent then lists the bucket with the AWS profile",
        "     stint wrote (stint-LEASE: its credential_process mints the lease with the agent file;",
        "     no tool result holds a key), ends its access, and shows the S3 stand-in refusing the",
        "     session its AWS tool kept. Step 9's request page, " + ui + "/requests/ID, lists the",
        "     lease with its task and agent; the lease's page shows its calls. What the agent asked:",
        "       bin/stint agent list");
  }

  /** How approvers read an ask of the agent's: "asked by agent coder (alice@…'s)". */
  static String label(DevUser owner) {
    return "asked by agent " + AGENT + " (" + owner.email() + "'s)";
  }
}
