package dev.stint.access;

import dev.stint.access.AccessRequest.ApprovalStage;
import dev.stint.access.AccessRequest.Lifecycle;
import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.AccessRequest.Revision;
import dev.stint.access.AccessRequest.StageProgress;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.common.FilledDocument;
import dev.stint.common.ParameterValues;
import dev.stint.common.Timestamps;
import dev.stint.identity.Person;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Mapping between the access tables' rows and the records, in one place. */
final class RequestRows {
  static final String REQUEST_COLUMNS =
      "id, profile, requester_issuer, requester_subject, "
          + "requester_email, reason, ticket, duration_seconds, starts_at, break_glass, "
          + "approvals_required, state, created_at, updated_at, version, stages, parameters, "
          + "narrowed_policy";
  static final String VOTE_COLUMNS =
      "request_id, approver_issuer, approver_subject, "
          + "approver_email, decision, comment, created_at, stage";
  static final String GRANT_COLUMNS =
      "id, request_id, profile, principal_issuer, "
          + "principal_subject, starts_at, ends_at, break_glass, revoked_at, revoked_by, "
          + "revoked_by_issuer, revoked_by_email, reviewed_at, reviewed_by, reviewed_by_issuer, "
          + "reviewed_by_email, parameters, narrowed_policy";

  private RequestRows() {}

  static AccessRequest request(Row row, List<Vote> votes, Optional<Grant> grant) {
    Person requester = requester(row);
    NewRequest asked =
        new NewRequest(
            row.getString("profile"),
            Duration.ofSeconds(row.getInteger("duration_seconds")),
            row.getString("reason"),
            Optional.ofNullable(row.getString("ticket")),
            optionalInstant(row, "starts_at"),
            row.getBoolean("break_glass"),
            narrowed(row));
    int required = row.getInteger("approvals_required");
    Lifecycle lifecycle =
        new Lifecycle(
            RequestState.of(row.getString("state")),
            required,
            stages(row.getValue("stages"), required),
            votes,
            grant);
    Revision revision =
        new Revision(
            instant(row, "created_at"), instant(row, "updated_at"), row.getInteger("version"));
    return new AccessRequest(row.getString("id"), requester, asked, lifecycle, revision);
  }

  static Vote vote(Row row) {
    Person approver =
        new Person(
            row.getString("approver_issuer"),
            row.getString("approver_subject"),
            Optional.ofNullable(row.getString("approver_email")));
    return new Vote(
        approver,
        Vote.Decision.valueOf(row.getString("decision").toUpperCase(Locale.ROOT)),
        Optional.ofNullable(row.getString("comment")),
        instant(row, "created_at"),
        Optional.ofNullable(row.getString("stage")));
  }

  /** The stages stored with a request, or the one stage of a request filed before stages. */
  private static List<ApprovalStage> stages(Object stored, int required) {
    if (!(stored instanceof JsonArray array)) {
      return Lifecycle.single(required);
    }
    List<ApprovalStage> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonObject s = array.getJsonObject(i);
      out.add(
          new ApprovalStage(s.getString("name"), s.getInteger("count"), s.getBoolean("skipped")));
    }
    return out;
  }

  private static JsonArray stagesJson(List<ApprovalStage> stages) {
    JsonArray out = new JsonArray();
    stages.forEach(
        s ->
            out.add(
                new JsonObject()
                    .put("name", s.name())
                    .put("count", s.count())
                    .put("skipped", s.skipped())));
    return out;
  }

  /**
   * The open stage of {@code r} and when it opened, as the sweeper reads them: both null once no
   * stage is open.
   */
  static Tuple openStage(AccessRequest r) {
    Optional<StageProgress> open = StageProgress.open(r);
    return Tuple.of(
        open.map(StageProgress::name).orElse(null),
        open.flatMap(StageProgress::openedAt).map(Timestamps::utc).orElse(null));
  }

  /** Who asked: the holder of the request's grant too. */
  static Person requester(Row row) {
    return new Person(
        row.getString("requester_issuer"),
        row.getString("requester_subject"),
        Optional.ofNullable(row.getString("requester_email")));
  }

  static Grant grant(Row row, Person holder) {
    Optional<Grant.Revocation> revocation =
        optionalInstant(row, "revoked_at")
            .map(at -> new Grant.Revocation(person(row, "revoked_by"), at));
    Optional<Grant.Review> review =
        optionalInstant(row, "reviewed_at")
            .map(at -> new Grant.Review(person(row, "reviewed_by"), at));
    return new Grant(
        row.getString("id"),
        row.getString("request_id"),
        row.getString("profile"),
        holder,
        instant(row, "starts_at"),
        instant(row, "ends_at"),
        row.getBoolean("break_glass"),
        revocation,
        review,
        narrowed(row));
  }

  /** The values and the document a narrowed request or grant was stored with. */
  static Narrowed narrowed(Row row) {
    Object stored = row.getValue("parameters");
    Map<String, String> values = new TreeMap<>();
    if (stored instanceof JsonObject object) {
      object.forEach(e -> values.put(e.getKey(), String.valueOf(e.getValue())));
    }
    return new Narrowed(
        ParameterValues.of(values),
        Optional.ofNullable(row.getString("narrowed_policy")).map(FilledDocument::new));
  }

  /** The values as the parameters column holds them. */
  static JsonObject parametersJson(Narrowed narrowed) {
    return new JsonObject(new LinkedHashMap<>(narrowed.values().values()));
  }

  static Tuple insertRequest(AccessRequest r) {
    Tuple open = openStage(r);
    return Tuple.tuple(
            List.of(r.id(), r.profile(), r.requester().issuer(), r.requester().subject()))
        .addValue(r.requester().email().orElse(null))
        .addValue(r.reason())
        .addValue(r.ticket().orElse(null))
        .addValue((int) r.duration().toSeconds())
        .addValue(r.startsAt().map(Timestamps::utc).orElse(null))
        .addValue(r.breakGlass())
        .addValue(r.approvalsRequired())
        .addValue(r.state().code())
        .addValue(Timestamps.utc(r.createdAt()))
        .addValue(Timestamps.utc(r.updatedAt()))
        .addValue(r.version())
        .addValue(stagesJson(r.stages()))
        .addValue(parametersJson(r.narrowed()))
        .addValue(r.narrowed().policy().map(FilledDocument::json).orElse(null))
        .addValue(open.getValue(0))
        .addValue(open.getValue(1));
  }

  static Tuple insertVote(String requestId, Vote v) {
    return Tuple.of(
        requestId,
        v.approver().issuer(),
        v.approver().subject(),
        v.approver().email().orElse(null),
        v.decision().code(),
        v.comment().orElse(null),
        Timestamps.utc(v.at()),
        v.stage().orElse(null));
  }

  static Tuple upsertGrant(Grant g, Instant now) {
    Optional<Person> revoker = g.revocation().map(Grant.Revocation::by);
    Optional<Person> reviewer = g.review().map(Grant.Review::by);
    return Tuple.of(
            g.id(),
            g.requestId(),
            g.profile(),
            g.holder().issuer(),
            g.holder().subject(),
            Timestamps.utc(g.startsAt()),
            Timestamps.utc(g.endsAt()),
            g.breakGlass())
        .addValue(g.revocation().map(x -> Timestamps.utc(x.at())).orElse(null))
        .addValue(revoker.map(Person::subject).orElse(null))
        .addValue(revoker.map(Person::issuer).orElse(null))
        .addValue(revoker.flatMap(Person::email).orElse(null))
        .addValue(g.review().map(x -> Timestamps.utc(x.at())).orElse(null))
        .addValue(reviewer.map(Person::subject).orElse(null))
        .addValue(reviewer.map(Person::issuer).orElse(null))
        .addValue(reviewer.flatMap(Person::email).orElse(null))
        .addValue(parametersJson(g.narrowed()))
        .addValue(g.narrowed().policy().map(FilledDocument::json).orElse(null))
        .addValue(Timestamps.utc(now));
  }

  private static Person person(Row row, String prefix) {
    return new Person(
        row.getString(prefix + "_issuer"),
        row.getString(prefix),
        Optional.ofNullable(row.getString(prefix + "_email")));
  }

  static Instant instant(Row row, String column) {
    return row.getOffsetDateTime(column).toInstant();
  }

  static Optional<Instant> optionalInstant(Row row, String column) {
    return Optional.ofNullable(row.getOffsetDateTime(column)).map(OffsetDateTime::toInstant);
  }
}
