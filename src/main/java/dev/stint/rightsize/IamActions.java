package dev.stint.rightsize;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A CloudTrail call (its {@code eventSource} and {@code eventName}) as the IAM actions it needs,
 * from data ({@code iam-actions.tsv} beside this class, whose header names its published sources):
 * by default {@code PREFIX:Name}, the source host's label as the prefix and the name without a
 * version suffix; the file lists the sources whose prefix differs ({@code monitoring} is {@code
 * cloudwatch}) and the calls authorized as other actions ({@code s3 ListObjectsV2} is {@code
 * s3:ListBucket}) or as none at all ({@code sts GetCallerIdentity}).
 */
public final class IamActions {
  private static final String AWS_DOMAIN = ".amazonaws.com";
  private static final String RESOURCE = "iam-actions.tsv";
  private static final Pattern VERSION =
      Pattern.compile("(?:\\d{8}(?:v\\d+)?|\\d{4}_\\d{2}_\\d{2})$");
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
  private static final Pattern PREFIX = Pattern.compile("[a-z0-9][a-z0-9-]*");

  private final Map<String, String> prefixes;
  private final Map<String, List<String>> exceptions;

  private IamActions(Map<String, String> prefixes, Map<String, List<String>> exceptions) {
    this.prefixes = Map.copyOf(prefixes);
    this.exceptions = Map.copyOf(exceptions);
  }

  /** The mapping the server ships. */
  public static IamActions published() {
    try (InputStream in = IamActions.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      return read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static IamActions read(BufferedReader lines) throws IOException {
    Map<String, String> prefixes = new HashMap<>();
    Map<String, List<String>> exceptions = new HashMap<>();
    String line;
    int n = 0;
    while ((line = lines.readLine()) != null) {
      n++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      if (f[0].equals("source") && f.length == 3) {
        prefixes.put(f[1], f[2]);
      } else if (f[0].equals("action") && f.length == 4) {
        List<String> actions = f[3].equals("-") ? List.of() : Arrays.asList(f[3].split(","));
        exceptions.put(f[1] + ":" + f[2], List.copyOf(actions));
      } else {
        throw new IllegalStateException(RESOURCE + " line " + n + " is not a source or action");
      }
    }
    return new IamActions(prefixes, exceptions);
  }

  /**
   * The IAM service prefix of an AWS event source ({@code s3.amazonaws.com} is {@code s3}); empty
   * for a source that is not AWS's or not of a prefix's shape.
   */
  public Optional<String> prefix(String eventSource) {
    if (!eventSource.endsWith(AWS_DOMAIN)) {
      return Optional.empty();
    }
    String host = eventSource.substring(0, eventSource.length() - AWS_DOMAIN.length());
    String prefix = prefixes.getOrDefault(host, host);
    return PREFIX.matcher(prefix).matches() ? Optional.of(prefix) : Optional.empty();
  }

  /**
   * The IAM actions the call needs: empty when it needs none, or when it is not an AWS call of a
   * shape this reads (then {@link #known} is false).
   */
  public List<String> actions(String eventSource, String eventName) {
    Optional<String> prefix = prefix(eventSource);
    if (prefix.isEmpty() || !NAME.matcher(eventName).matches()) {
      return List.of();
    }
    String name = VERSION.matcher(eventName).replaceFirst("");
    return exceptions.getOrDefault(prefix.get() + ":" + name, List.of(prefix.get() + ":" + name));
  }

  /** Whether the call is one this reads: an AWS event source and a name of an API's shape. */
  public boolean known(String eventSource, String eventName) {
    return prefix(eventSource).isPresent() && NAME.matcher(eventName).matches();
  }
}
