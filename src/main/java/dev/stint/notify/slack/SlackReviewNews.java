package dev.stint.notify.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.stint.review.Review;
import dev.stint.review.ReviewNews;
import io.vertx.core.Future;
import java.net.URI;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access reviews in Slack: a review opening, and once nearly due, is posted to the channel request
 * messages go to and sent directly to each reviewer stint can reach ({@link SlackReviewers}), with
 * a link to the review's page. A message gives the profile, counts and the due date, never a name:
 * a reviewer may be under review in it too, and others' names are for the page, where reading is
 * checked. Each conversation is tried whatever the others did.
 */
public final class SlackReviewNews implements ReviewNews {
  private static final Logger LOG = LoggerFactory.getLogger(SlackReviewNews.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter DUE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private final SlackApi slack;
  private final Optional<String> channel;
  private final Function<String, URI> pages;
  private final Function<Review, Future<List<String>>> reviewers;

  /**
   * {@code pages}: a review's page by its id; {@code reviewers}: the Slack users to send a review's
   * messages to directly.
   */
  public SlackReviewNews(
      SlackApi slack,
      Optional<String> channel,
      Function<String, URI> pages,
      Function<Review, Future<List<String>>> reviewers) {
    this.slack = slack;
    this.channel = channel;
    this.pages = pages;
    this.reviewers = reviewers;
  }

  @Override
  public Future<Void> opened(Review r) {
    int people = r.items().size();
    return send(
        r,
        "Access review of "
            + SlackBlocks.value(r.profile())
            + " opened: "
            + people(people)
            + " to review, due "
            + DUE.format(r.dueAt())
            + ". "
            + SlackText.link(pages.apply(r.id()), "Review " + r.id()));
  }

  @Override
  public Future<Void> dueSoon(Review r, int undecided) {
    return send(
        r,
        "Access review of "
            + SlackBlocks.value(r.profile())
            + " is due "
            + DUE.format(r.dueAt())
            + ": "
            + undecided
            + " of "
            + people(r.items().size())
            + " still undecided. "
            + SlackText.link(pages.apply(r.id()), "Review " + r.id()));
  }

  private static String people(int n) {
    return n == 1 ? "1 person" : n + " people";
  }

  /** The channel, then each reviewer's direct message; fails if any of them failed. */
  private Future<Void> send(Review r, String text) {
    ArrayNode blocks = JSON.createArrayNode().add(SlackBlocks.section(text));
    String blocksJson = blocks.toString();
    Future<Boolean> posted =
        channel
            .map(c -> tried(slack.post(c, text, blocksJson).<Void>mapEmpty(), r, "the channel"))
            .orElse(Future.succeededFuture(true));
    return posted
        .compose(
            ok -> reviewers.apply(r).compose(users -> direct(users, text, r).map(all -> ok && all)))
        .compose(
            all ->
                all
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture(
                        "not every conversation took the message about " + r.id()));
  }

  private Future<Boolean> direct(List<String> users, String text, Review r) {
    Future<Boolean> chain = Future.succeededFuture(true);
    for (String user : users) {
      chain =
          chain.compose(
              ok -> tried(slack.direct(user, text), r, "Slack user " + user).map(d -> ok && d));
    }
    return chain;
  }

  private static Future<Boolean> tried(Future<Void> call, Review r, String where) {
    return call.map(true)
        .recover(
            e -> {
              LOG.warn("review {}: could not tell {}: {}", r.id(), where, e.getMessage());
              return Future.succeededFuture(false);
            });
  }
}
