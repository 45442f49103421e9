package dev.stint.demo;

import dev.stint.standin.CloudTrailEvent;
import dev.stint.standin.IamEvaluator;
import dev.stint.standin.IamRules;
import dev.stint.standin.QueryRequest;
import dev.stint.standin.Refusal;
import dev.stint.standin.SigV4;
import dev.stint.standin.StandInReply;
import dev.stint.standin.StsDocuments;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What the demo's IAM answers a session STS minted that calls {@code iam:CreateAccessKey} (a
 * credential that outlives any revocation of the session: what stint's {@code escape} finding
 * watches for), as IAM does: a call signed outside {@code us-east-1} or not by a live session is
 * refused as IAM refuses it; a role session must name the user ({@code ValidationError}); then the
 * call is judged by the role's policies and the session policy ({@link IamEvaluator}): refused with
 * {@code AccessDenied} in IAM's words unless allowed, and, allowed, the demo's IAM has no users, so
 * {@code NoSuchEntity}. Each call a live session made, answered or refused, is handed to the trail
 * as CloudTrail records it (an IAM management event, in {@code us-east-1}, with its {@code
 * errorCode}).
 */
final class IamSessionCalls {
  static final String CREATE_ACCESS_KEY = "CreateAccessKey";

  private static final Pattern USER_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");

  private final Function<String, Optional<StsDocuments.Session>> sessions;
  private final Function<String, List<String>> rolePolicies;
  private final BiConsumer<String, CloudTrailEvent> trail;
  private final Clock clock;

  IamSessionCalls(
      Function<String, Optional<StsDocuments.Session>> sessions,
      Function<String, List<String>> rolePolicies,
      BiConsumer<String, CloudTrailEvent> trail,
      Clock clock) {
    this.sessions = sessions;
    this.rolePolicies = rolePolicies;
    this.trail = trail;
    this.clock = clock;
  }

  /** Whether {@code request} is one of these: a {@code CreateAccessKey} a minted session signed. */
  boolean handles(QueryRequest request) {
    return CREATE_ACCESS_KEY.equals(request.param("Action"))
        && request.header("Authorization") != null
        && sessions.apply(SigV4.accessKeyId(request)).isPresent();
  }

  StandInReply answer(QueryRequest request) {
    Optional<Refusal> unsigned = SigV4.check(request, "iam", Set.of("us-east-1")::contains);
    if (unsigned.isPresent()) {
      return StandInReply.error(unsigned.get(), IamRules.NAMESPACE);
    }
    StsDocuments.Session session = sessions.apply(SigV4.accessKeyId(request)).orElseThrow();
    if (!session.credentials().sessionToken().equals(SigV4.securityToken(request))
        || !clock.instant().isBefore(session.credentials().expiration())) {
      return StandInReply.error(
          Refusal.sender(
              403,
              "InvalidClientTokenId",
              "The security token included in the request is invalid."),
          IamRules.NAMESPACE);
    }
    String user = request.param("UserName");
    Refusal refusal = judged(session, user);
    trail.accept(session.role().account(), event(request, session, user, refusal));
    return StandInReply.error(refusal, IamRules.NAMESPACE);
  }

  /** IAM's answer: every way it goes here is a refusal, the last for want of any user. */
  private Refusal judged(StsDocuments.Session session, String user) {
    if (user == null) {
      return Refusal.sender(
          400, "ValidationError", "Must specify userName when calling with non-User credentials");
    }
    if (!USER_NAME.matcher(user).matches()) {
      return Refusal.validation(
          List.of(
              "Value at 'userName' failed to satisfy constraint: Member must satisfy regular"
                  + " expression pattern: [\\w+=,.@-]+"));
    }
    String resource = "arn:aws:iam::" + session.role().account() + ":user/" + user;
    IamEvaluator.Decision decision =
        IamEvaluator.decide(
            new IamEvaluator.Request(
                "iam:" + CREATE_ACCESS_KEY, resource, session.context(), clock.instant()),
            rolePolicies.apply(session.role().roleName()),
            session.policy());
    if (decision != IamEvaluator.Decision.ALLOW) {
      return Refusal.sender(
          403,
          "AccessDenied",
          "User: "
              + session.role().arn()
              + " is not authorized to perform: iam:CreateAccessKey on resource: user "
              + user
              + (decision == IamEvaluator.Decision.EXPLICIT_DENY
                  ? " with an explicit deny in an identity-based policy"
                  : " because no identity-based policy allows the iam:CreateAccessKey action"));
    }
    return Refusal.sender(404, "NoSuchEntity", "The user with name " + user + " cannot be found.");
  }

  /** The call as CloudTrail records it in the session's account. */
  private CloudTrailEvent event(
      QueryRequest request, StsDocuments.Session session, String user, Refusal refusal) {
    String arn = session.role().arn();
    String[] roleAndSession = arn.substring(arn.indexOf(":assumed-role/") + 14).split("/", 2);
    CloudTrailEvent.Builder b =
        CloudTrailEvent.builder("iam.amazonaws.com", CREATE_ACCESS_KEY)
            .time(clock.instant())
            .region("us-east-1")
            .accessKeyId(session.credentials().accessKeyId())
            .sourceIp("127.0.0.1")
            .userAgent(Optional.ofNullable(request.header("User-Agent")).orElse(""))
            .readOnly(false)
            .assumedRole(roleAndSession[0], roleAndSession.length > 1 ? roleAndSession[1] : "s");
    session.context().sourceIdentity().ifPresent(b::sourceIdentity);
    if (user != null) {
      b.parameter("userName", user);
    }
    return b.errorCode(refusal.code()).build();
  }
}
