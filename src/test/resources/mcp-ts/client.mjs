// The TypeScript MCP SDK's client driving `stint mcp` over stdio, as an agent built on it would:
// each step's structured result is printed as one JSON line for AgentMcpTypeScriptIT to check.
// Usage: node client.mjs TASK COMMAND ARGS... (the server's environment is this process's).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [task, command, ...args] = process.argv.slice(2);
const say = (step, result) => process.stdout.write(JSON.stringify({ step, result }) + "\n");
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

const transport = new StdioClientTransport({ command, args, env: process.env, stderr: "inherit" });
const client = new Client({ name: "stint-typescript-test", version: "1.0.0" });

async function call(name, input) {
  const result = await client.callTool({ name, arguments: input });
  if (result.isError) {
    throw new Error(`${name} answered an error: ${JSON.stringify(result.content)}`);
  }
  return result.structuredContent;
}

try {
  await client.connect(transport);
  const { tools } = await client.listTools();
  say("tools", tools.map((t) => ({ name: t.name, input: t.inputSchema.type })));
  say("list_access", await call("list_access", {}));
  const asked = await call("request_access", { profile: "s3-read", task, duration: "20m" });
  say("request_access", asked);
  // A person approves it meanwhile, as access_status's advice says to wait for.
  let status = await call("access_status", { lease_id: asked.lease_id });
  for (let i = 0; i < 600 && status.state === "pending"; i++) {
    await sleep(250);
    status = await call("access_status", { lease_id: asked.lease_id });
  }
  say("access_status", status);
  say("end_access", await call("end_access", { lease_id: asked.lease_id }));
  say("after", await call("access_status", { lease_id: asked.lease_id }));
} finally {
  await client.close();
}
