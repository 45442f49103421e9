package dev.stint.mint.azure;

import dev.stint.cloud.AzureTarget;
import dev.stint.common.SecureUrls;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * stint's own reader of the Activity Log: the app it signs in as ({@code azure.activity.tenant_id},
 * {@code azure.activity.client_id}; its federated credential trusts stint's issuer for the subject
 * {@value AzureActivity#SUBJECT}), the subscriptions whose logs it reads (the places; the app needs
 * {@code Reader} or {@code Monitoring Reader} on each) and where Azure Resource Manager is ({@code
 * azure.management_endpoint}). The constructor refuses bad values with every reason at once.
 */
public record AzureActivitySettings(
    String tenantId, String clientId, List<String> subscriptions, URI management) {
  /** Azure Resource Manager in the public cloud. */
  public static final URI DEFAULT_MANAGEMENT = URI.create("https://management.azure.com");

  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  public AzureActivitySettings {
    List<String> problems = new ArrayList<>();
    try {
      new AzureTarget(tenantId, clientId, DEFAULT_MANAGEMENT + "/.default", false);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage().replace("invalid azure profile: ", ""));
    }
    if (subscriptions == null || subscriptions.isEmpty()) {
      problems.add("subscriptions must list at least one subscription id");
    } else {
      for (String s : subscriptions) {
        if (s == null || !GUID.matcher(s).matches()) {
          problems.add("subscriptions: '" + s + "' is not a subscription id (a GUID)");
        }
      }
      subscriptions = List.copyOf(new LinkedHashSet<>(subscriptions));
    }
    if (management == null
        || !SecureUrls.httpsOrLoopback(management)
        || management.getRawQuery() != null
        || management.getRawUserInfo() != null) {
      problems.add(
          "azure.management_endpoint must be an https URL (http only to a loopback address),"
              + " without query or user info");
    } else {
      String text = management.toString();
      management = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** The scope of the reader's token: Resource Manager's, at the configured endpoint. */
  String scope() {
    return management + "/.default";
  }
}
