/**
 * {@code stint agent} (enroll an AI agent, list and revoke one) and {@code stint mcp}, the MCP
 * server on stdio through which an enrolled agent asks for its own access (docs/agents.md, "Agents
 * that ask"): its five tools, the AWS profile it writes for an approved lease, and the agent file
 * it runs on.
 */
package dev.stint.cli.agent;
