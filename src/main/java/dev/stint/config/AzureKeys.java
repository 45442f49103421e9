package dev.stint.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.common.SecureUrls;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code azure.activity.*} keys and {@code azure.management_endpoint}: stint's own reader of
 * the Activity Log, which needs all three of its keys or none.
 */
final class AzureKeys {
  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  // A tenant is a GUID or a verified domain, as a profile's azure.tenant_id.
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,253})");

  private AzureKeys() {}

  static final ConfigKey AUTHORITY =
      ConfigKey.scalar("azure.authority_host", "STINT_AZURE_AUTHORITY_HOST", null);

  /**
   * Azure Resource Manager, whose Activity Log stint reads for what each Azure token did; a
   * sovereign cloud's ({@code https://management.usgovcloudapi.net}), or http to a loopback address
   * for a local stand-in. The reader's token is for {@code ENDPOINT/.default}.
   */
  static final ConfigKey MANAGEMENT =
      ConfigKey.scalar(
          "azure.management_endpoint",
          "STINT_AZURE_MANAGEMENT_ENDPOINT",
          "https://management.azure.com");

  /**
   * The tenant of stint's own Activity Log reader app; with {@link #ACTIVITY_CLIENT} and {@link
   * #ACTIVITY_SUBSCRIPTIONS}, or none of them: then no Azure token is looked up.
   */
  static final ConfigKey ACTIVITY_TENANT =
      ConfigKey.scalar("azure.activity.tenant_id", "STINT_AZURE_ACTIVITY_TENANT_ID", null);

  /**
   * The reader app's client id: its federated credential trusts stint's issuer for the subject
   * {@code stint:activity}.
   */
  static final ConfigKey ACTIVITY_CLIENT =
      ConfigKey.scalar("azure.activity.client_id", "STINT_AZURE_ACTIVITY_CLIENT_ID", null);

  /** The subscriptions whose Activity Log is read (the reader needs Monitoring Reader on each). */
  static final ConfigKey ACTIVITY_SUBSCRIPTIONS =
      ConfigKey.list("azure.activity.subscriptions", "STINT_AZURE_ACTIVITY_SUBSCRIPTIONS");

  /**
   * The reader, when its three keys are set and read; a problem names the missing ones when only
   * some are set ({@code present}: the names of those set, read or not).
   */
  static Optional<StintConfig.AzureReader> bind(
      Optional<String> tenant,
      Optional<String> client,
      Optional<List<String>> subscriptions,
      Set<String> present,
      List<String> problems) {
    List<String> missing = new ArrayList<>();
    for (ConfigKey key : List.of(ACTIVITY_TENANT, ACTIVITY_CLIENT, ACTIVITY_SUBSCRIPTIONS)) {
      if (!present.contains(key.name())) {
        missing.add(key.name());
      }
    }
    if (missing.size() == 3) {
      return Optional.empty();
    }
    if (!missing.isEmpty()) {
      problems.add(
          String.join(", ", missing)
              + " required: the Activity Log reader needs its tenant, its client id and the"
              + " subscriptions it reads");
    }
    if (tenant.isEmpty() || client.isEmpty() || subscriptions.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new StintConfig.AzureReader(tenant.get(), client.get(), subscriptions.get()));
  }

  static String tenant(String s) {
    String t = s.strip();
    if (!TENANT.matcher(t).matches()
        || Set.of("common", "organizations", "consumers").contains(t)) {
      throw new IllegalArgumentException(
          "must be a tenant id or verified domain (not common, organizations or consumers)");
    }
    return t;
  }

  static String clientId(String s) {
    String t = s.strip();
    if (!GUID.matcher(t).matches()) {
      throw new IllegalArgumentException("must be the reader app's client id (a GUID)");
    }
    return t;
  }

  /** A non-empty list of subscription ids, each named once. */
  static List<String> subscriptions(JsonNode node) {
    if (!node.isArray() || node.isEmpty()) {
      throw new IllegalArgumentException("expected a list of subscription ids (GUIDs)");
    }
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode item : node) {
      String id = item.isTextual() ? item.asText().strip() : "";
      if (!GUID.matcher(id).matches()) {
        throw new IllegalArgumentException("'" + id + "' is not a subscription id (a GUID)");
      }
      out.add(id);
    }
    return List.copyOf(out);
  }

  /** https, or http to a loopback address (a local stand-in); no query or user info. */
  static URI managementEndpoint(String s) {
    URI uri;
    try {
      uri = new URI(s.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("expected an https URL (the value is not repeated)");
    }
    if (!SecureUrls.httpsOrLoopback(uri)
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "must be an https URL (http only to a loopback address), without query, fragment or"
              + " user info");
    }
    return uri;
  }
}
