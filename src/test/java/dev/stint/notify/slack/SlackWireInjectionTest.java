package dev.stint.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.access.AccessRequest;
import dev.stint.identity.Person;
import dev.stint.notify.Notification;
import dev.stint.notify.RequestNotifier;
import dev.stint.notify.WebhookNotifier;
import dev.stint.testing.Patience;
import dev.stint.testing.Requests;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every field a person controls, in every notified event, carrying Slack control sequences: what
 * the stand-in webhook receives (the real wire format, a JSON body with {@code text}) pings nobody,
 * links nowhere but to stint's own page, stays on one line, and cannot open a code span that would
 * swallow stint's link.
 */
class SlackWireInjectionTest {
  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  static final String INJECTION =
      "<!channel> <https://evil.example|Approve> <@U0123> a&b " + "`x` ```y``` one\ntwo\r\nthree";

  /** What the injection must look like once escaped: visible, harmless. */
  static final String ESCAPED =
      "&lt;!channel&gt; &lt;https://evil.example|Approve&gt; "
          + "&lt;@U0123&gt; a&amp;b ˋxˋ ˋˋˋyˋˋˋ one two three";

  static final String LINK = "<https://stint.example.com/ui/requests/req_abc|req_abc>";

  static Vertx vertx;
  static HttpServer slack;
  static final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  static WebhookNotifier notifier;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    slack =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              received.add(body.toString());
                              req.response().setStatusCode(200).end("ok");
                            }))
            .listen(0, "127.0.0.1")
            .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    notifier =
        new WebhookNotifier(
            vertx,
            List.of(
                new WebhookNotifier.Target(
                    URI.create("http://127.0.0.1:" + slack.actualPort() + "/services/T/B/X"),
                    Optional.empty(),
                    true)),
            WebhookNotifier.DEFAULT_TIMEOUT,
            Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterAll
  static void stop() throws Exception {
    notifier.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  /** One field a person controls, and how to put the injection into it. */
  enum Field {
    REASON,
    COMMENT,
    TICKET,
    REQUESTER_EMAIL,
    REQUESTER_SUBJECT,
    ACTOR_EMAIL,
    ACTOR_SUBJECT;

    Notification apply(String event) {
      Person requester = person("alice", "alice@example.com");
      Person actor = person("bob", "bob@example.com");
      String reason = "INC-1";
      Optional<String> ticket = Optional.of("JIRA-1");
      Optional<String> comment = Optional.of("fine");
      switch (this) {
        case REASON -> reason = INJECTION;
        case COMMENT -> comment = Optional.of(INJECTION);
        case TICKET -> ticket = Optional.of(INJECTION);
        case REQUESTER_EMAIL -> requester = person("alice", INJECTION);
        case REQUESTER_SUBJECT -> requester = person(INJECTION, null);
        case ACTOR_EMAIL -> actor = person("bob", INJECTION);
        case ACTOR_SUBJECT -> actor = person(INJECTION, null);
      }
      AccessRequest r =
          Requests.approved("req_abc")
              .profile("aws-prod-admin")
              .requester(requester)
              .reason(reason)
              .ticket(ticket)
              .duration(Duration.ofMinutes(90))
              .breakGlass(event.equals("break_glass.used"))
              .at(NOW)
              .version(1)
              .build();
      return new Notification(
          event,
          r,
          actor,
          comment,
          NOW,
          URI.create("https://stint.example.com/ui/requests/req_abc"));
    }

    private static Person person(String subject, String email) {
      return new Person("https://idp.test", subject, Optional.ofNullable(email));
    }
  }

  static Stream<Arguments> everyFieldInEveryEvent() {
    return RequestNotifier.NOTIFIED.stream()
        .sorted()
        .flatMap(event -> Stream.of(Field.values()).map(field -> Arguments.of(event, field)));
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("everyFieldInEveryEvent")
  void noControlSequenceFromAPersonSurvives(String event, Field field) throws Exception {
    String text = deliver(field.apply(event));

    assertThat(text).doesNotContain("<", ">", "`", "\n", "\r");
  }

  /**
   * The {@code text} the stand-in received, checked to end with stint's own link (the one control
   * sequence allowed, rendered as a link), and returned without it.
   */
  static String deliver(Notification n) throws Exception {
    notifier
        .deliver(notifier.targets().get(0), n, 1)
        .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    String body = received.poll(10, TimeUnit.SECONDS);
    assertThat(body).as("the stand-in received the message").isNotNull();
    JsonNode json = new ObjectMapper().readTree(body);
    String text = json.get("text").asText();
    assertThat(text).endsWith(" " + LINK);
    return text.substring(0, text.length() - LINK.length());
  }

  /** Where each field shows, it shows escaped (visible, not lost). */
  static Stream<Arguments> shownFields() {
    return Stream.of(
        Arguments.of("request.created", Field.REASON),
        Arguments.of("request.created", Field.TICKET),
        Arguments.of("request.created", Field.REQUESTER_EMAIL),
        Arguments.of("request.created", Field.REQUESTER_SUBJECT),
        Arguments.of("break_glass.used", Field.REASON),
        Arguments.of("request.approved", Field.COMMENT),
        Arguments.of("request.approved", Field.ACTOR_EMAIL),
        Arguments.of("request.denied", Field.ACTOR_SUBJECT),
        Arguments.of("grant.revoked", Field.ACTOR_EMAIL),
        Arguments.of("grant.extension_denied", Field.COMMENT));
  }

  @ParameterizedTest(name = "{0} shows {1}")
  @MethodSource("shownFields")
  void theValueIsShownEscaped(String event, Field field) throws Exception {
    assertThat(deliver(field.apply(event))).contains(ESCAPED);
  }
}
