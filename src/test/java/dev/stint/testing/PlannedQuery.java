package dev.stint.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A statement a store runs, taken from the store's own SQL, with representative parameters: what
 * the query-plan test explains against a large database.
 */
public record PlannedQuery(String name, String sql, List<Object> params) {
  public PlannedQuery {
    params = new ArrayList<>(params);
  }

  public static PlannedQuery of(String name, String sql, Object... params) {
    return new PlannedQuery(name, sql, Arrays.asList(params));
  }
}
