package dev.stint.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * "Did you mean": the known names nearest a mistyped one, by edit distance (insertions, deletions,
 * substitutions and swapped neighbours, ignoring case): those at the smallest distance found, in
 * alphabetical order. A name counts as near within a third of its length (at least one edit, at
 * most three), so a short name is not matched to an unrelated one.
 */
public final class Suggestions {
  private static final int MOST = 3;

  private Suggestions() {}

  public static List<String> closest(String typed, List<String> known) {
    if (known.contains(typed)) {
      return List.of();
    }
    String want = typed.toLowerCase(Locale.ROOT);
    int allowed = Math.max(1, Math.min(3, want.length() / 3));
    List<String> nearest = new ArrayList<>();
    int best = allowed;
    for (String name : known) {
      int d =
          name.equals(typed) ? Integer.MAX_VALUE : distance(want, name.toLowerCase(Locale.ROOT));
      if (d < best) {
        nearest.clear();
        best = d;
      }
      if (d == best) {
        nearest.add(name);
      }
    }
    nearest.sort(Comparator.naturalOrder());
    return nearest.subList(0, Math.min(MOST, nearest.size()));
  }

  /** Optimal string alignment distance: Levenshtein with adjacent transpositions. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
