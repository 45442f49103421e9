package dev.stint.cli.review;

import dev.stint.cli.CliException;
import dev.stint.cli.Table;
import java.util.regex.Pattern;

/** A review's id as the server makes them ({@code rvw_…}); nothing else is put into a path. */
final class ReviewId {
  private static final Pattern SHAPE = Pattern.compile("rvw_[a-z0-9]{1,64}");

  private ReviewId() {}

  static boolean matches(String id) {
    return SHAPE.matcher(id).matches();
  }

  /** Refuses, before anything is sent, a REVIEW that is not a review id. */
  static void check(String id) {
    if (!matches(id)) {
      throw new CliException(
          CliException.USAGE, "'" + Table.sanitize(id) + "' is not a review id (rvw_…)");
    }
  }
}
