package dev.stint.agent;

import dev.stint.audit.AuditLog;
import io.vertx.sqlclient.Pool;
import java.time.Clock;

/**
 * Enrolled agents, assembled for {@code app}, each kind of caller handed the port it needs: {@link
 * AgentDesk} to the people's routes, {@link AgentBearers} to the API's authentication, {@link
 * AgentAsking} to the agents' own routes.
 */
public final class Agents {
  private final Enrollment enrollment;
  private final Bearing bearing;
  private final Asking asking;

  public Agents(AgentNeeds needs, Pool pool, AuditLog log, Clock clock) {
    this(needs, pool, log, clock, AskPace.LIMIT);
  }

  /** As above, with {@code asksPerWindow} asks per agent in the pace's window. */
  public Agents(AgentNeeds needs, Pool pool, AuditLog log, Clock clock, int asksPerWindow) {
    AgentStore store = new AgentStore(pool);
    AgentAudit audit = new AgentAudit(log);
    this.enrollment =
        new Enrollment(store, audit, needs.policies(), needs.asks(), needs.ending(), clock);
    this.bearing = new Bearing(store, audit, clock);
    this.asking =
        new Asking(store, audit, needs, new AskPace(asksPerWindow, AskPace.WINDOW, clock), clock);
  }

  public AgentDesk desk() {
    return enrollment;
  }

  public AgentBearers bearers() {
    return bearing;
  }

  public AgentAsking asking() {
    return asking;
  }
}
