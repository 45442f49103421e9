package dev.stint.bench;

import dev.stint.testing.LoadDriver;
import java.util.ArrayList;
import java.util.List;

/**
 * The growth bench's table: each figure on the empty and the loaded database, their ratio and
 * whether it is within the target (within 20 % of the empty database: a throughput at least
 * 0.8 of it, a latency or a time at most 1.2 times it).
 */
final class ScaleTable {
  static final double WITHIN = 0.20;

  record Figure(String name, double empty, double loaded, boolean higherIsBetter) {
    double ratio() {
      return loaded / empty;
    }

    boolean met() {
      return higherIsBetter ? ratio() >= 1 - WITHIN : ratio() <= 1 + WITHIN;
    }

    String target() {
      return higherIsBetter ? ">= " + (1 - WITHIN) : "<= " + (1 + WITHIN);
    }
  }

  private final List<Figure> figures = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  void add(String name, double empty, double loaded, boolean higherIsBetter) {
    figures.add(new Figure(name, empty, loaded, higherIsBetter));
  }

  /** Throughput, p50 and p99 of one closed-loop figure. */
  void load(String name, LoadDriver.Result empty, LoadDriver.Result loaded) {
    add(name + " /s", empty.perSecond(), loaded.perSecond(), true);
    add(name + " p50 ms", empty.percentileMillis(0.5), loaded.percentileMillis(0.5), false);
    add(name + " p99 ms", empty.percentileMillis(0.99), loaded.percentileMillis(0.99), false);
    for (LoadDriver.Result r : new LoadDriver.Result[] {empty, loaded}) {
      long other = r.total() - r.count(200) - r.count(204);
      if (other > 0) {
        note(
            name
                + ": "
                + other
                + " answers were not 200 or 204: "
                + r.byStatus()
                + ", failures "
                + r.failures());
      }
    }
  }

  void note(String line) {
    notes.add(line);
  }

  List<Figure> notMet() {
    return figures.stream().filter(f -> !f.met()).toList();
  }

  void print() {
    System.out.println();
    System.out.printf(
        "%-40s %12s %12s %8s %8s  %s%n", "figure", "empty", "loaded", "ratio", "target", "");
    for (Figure f : figures) {
      System.out.printf(
          "%-40s %12s %12s %8.2f %8s  %s%n",
          f.name(),
          number(f.empty()),
          number(f.loaded()),
          f.ratio(),
          f.target(),
          f.met() ? "met" : "NOT met");
    }
    notes.forEach(n -> System.out.println("note: " + n));
    List<Figure> missed = notMet();
    System.out.println(
        missed.isEmpty()
            ? "every figure within 20 % of the empty database"
            : missed.size()
                + " figure(s) NOT within 20 % of the empty database: "
                + String.join(", ", missed.stream().map(Figure::name).toList()));
  }

  private static String number(double v) {
    return v >= 100 ? String.format("%,.0f", v) : String.format("%.2f", v);
  }
}
