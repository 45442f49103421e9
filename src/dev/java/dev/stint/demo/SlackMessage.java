package dev.stint.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A message in the demo Slack as a member would see it: where, its id, thread, text, blocks, who
 * only sees it.
 */
public record SlackMessage(
    String channel,
    String ts,
    Optional<String> thread,
    String text,
    JsonNode blocks,
    Optional<String> onlyFor) {}
