package dev.stint.agent;

import dev.stint.common.ParameterValues;
import java.time.Duration;
import java.util.Optional;

/**
 * What an agent asks for: a profile of its enrollment, the task, how long, and optionally other
 * values for the profile's parameters or statements of its own (a JSON array), as a lease's.
 */
public record AgentAsk(
    String profile,
    String task,
    Duration duration,
    Optional<ParameterValues> parameters,
    Optional<String> sessionPolicy) {}
