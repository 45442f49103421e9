package dev.stint.standin;

import java.util.List;
import java.util.Map;

/**
 * One request to an AWS query-protocol endpoint: its method, path, parameters (the form body over
 * the query string, the first of a repeated name) and headers, whose names are found in any case.
 */
public record QueryRequest(
    String method, String path, Map<String, String> params, Map<String, List<String>> headers) {

  public String param(String name) {
    return params.get(name);
  }

  /** The first value of a header, or null. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
