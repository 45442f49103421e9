package dev.stint.http;

import dev.stint.common.Durations;
import dev.stint.config.AccessPortal;
import dev.stint.identity.Principal;
import dev.stint.policy.Parameter;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.Profile;
import dev.stint.policy.RequestFacts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code GET /v1/profiles}: the profiles the caller may request, with what a request needs and, for
 * an Identity Center profile, how people's tools reach it.
 */
public final class ProfileRoutes implements ApiModule {
  private final PolicyInForce policies;
  private final Clock clock;
  private final Optional<AccessPortal> portal;

  public ProfileRoutes(PolicyInForce policies, Clock clock) {
    this(policies, clock, Optional.empty());
  }

  /** With {@code portal}, the access portal an Identity Center profile's grant is used through. */
  public ProfileRoutes(PolicyInForce policies, Clock clock, Optional<AccessPortal> portal) {
    this.policies = policies;
    this.clock = clock;
    this.portal = portal;
  }

  @Override
  public void register(Router v1) {
    v1.get("/profiles").handler(this::list);
  }

  private void list(RoutingContext ctx) {
    Principal p = Authentication.principal(ctx);
    PolicyEvaluator evaluator = policies.evaluator();
    Instant now = clock.instant();
    JsonArray out = new JsonArray();
    for (Profile profile : policies.current().profiles().values()) {
      if (evaluator.mayRequest(p, profile, now)) {
        RequestFacts facts =
            new RequestFacts(profile.maxDuration(), Optional.empty(), Optional.empty(), false);
        out.add(
            describe(profile, evaluator.autoApproves(p, profile, facts, now).allowed())
                .put("parameters", parameters(profile, p, now))
                .put("identity_center", identityCenter(profile)));
      }
    }
    ctx.json(new JsonObject().put("profiles", out));
  }

  /**
   * For an {@code identity_center} profile, what {@code stint setup aws} writes its {@code
   * sso-session} and profile from: the account, the permission set (its name when the policy gives
   * it: the role name people's tools ask for), and the access portal with its region when the
   * server names one ({@code aws.identity_center.*}); for any other profile, null.
   */
  private JsonObject identityCenter(Profile profile) {
    return profile
        .target()
        .assignment()
        .map(
            a ->
                new JsonObject()
                    .put("account_id", a.accountId())
                    .put("permission_set_arn", a.permissionSetArn())
                    .put("permission_set_name", a.permissionSetName().orElse(null))
                    .put("start_url", portal.map(x -> x.startUrl().toString()).orElse(null))
                    .put("sso_region", portal.map(AccessPortal::region).orElse(null)))
        .orElse(null);
  }

  private static JsonObject describe(Profile profile, boolean autoApproved) {
    return new JsonObject()
        .put("name", profile.name())
        .put("cloud", profile.target().cloud())
        .put("region", profile.target().region().orElse(null))
        .put("description", profile.description())
        .put("max_duration", Durations.format(profile.maxDuration()))
        .put("max_duration_seconds", profile.maxDuration().toSeconds())
        .put("approvals_required", profile.approval().count())
        .put("stages", stages(profile))
        .put("auto_approve_for_you", autoApproved)
        .put("reason_required", profile.reason().required())
        .put("break_glass", profile.breakGlass())
        // What people must know before relying on a grant: where they may use it from, and
        // whether it can be extended.
        .put(
            "source_cidrs",
            profile.sources().restricted() ? new JsonArray(profile.sources().cidrs()) : null)
        .put(
            "extension",
            profile
                .extension()
                .map(
                    e ->
                        new JsonObject()
                            .put("max_total", Durations.format(e.maxTotal()))
                            .put("max_total_seconds", e.maxTotal().toSeconds())
                            .put("approval", e.approval().name().toLowerCase(Locale.ROOT)))
                .orElse(null));
  }

  /**
   * A narrowed profile's parameters, in file order, as a requester fills them: each one's name,
   * description and pattern, and where the policy lists values, those this caller may choose (none
   * when the list cannot be read: filing then refuses, saying why).
   */
  private static JsonArray parameters(Profile profile, Principal p, Instant now) {
    JsonArray out = new JsonArray();
    for (Parameter parameter : profile.parameters().values()) {
      JsonObject one =
          new JsonObject()
              .put("name", parameter.name())
              .put("description", parameter.description())
              .put("pattern", parameter.pattern().source());
      if (parameter.values().isPresent()) {
        one.put("values", new JsonArray(parameter.allowedFor(p, now).values()));
      }
      out.add(one);
    }
    return out;
  }

  /** The profile's approval stages in order: each one's name and count. */
  private static JsonArray stages(Profile profile) {
    JsonArray out = new JsonArray();
    profile
        .approval()
        .stages()
        .forEach(s -> out.add(new JsonObject().put("name", s.name()).put("count", s.count())));
    return out;
  }
}
