package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest;
import dev.stint.access.BundleStore;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.common.FilledDocument;
import dev.stint.common.ParameterValues;
import dev.stint.testing.Requests;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What an Approve button on the approvals list decides, and what stands above it: a bundle's row
 * approves every request of the bundle, so every narrowed one among them shows its values and its
 * policy there; when one of the bundle's is not listed, nothing is approved in place.
 */
class ApprovalPagesTest {
  static final AccessRequest PLAIN = Requests.pending("req_plain").profile("aws-prod").build();
  static final AccessRequest LOGS =
      Requests.pending("req_logs")
          .profile("s3-logs")
          .narrowed(
              new Narrowed(
                  ParameterValues.of(Map.of("bucket", "team-logs")),
                  Optional.of(
                      new FilledDocument(
                          "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                              + "\"Resource\":\"arn:aws:s3:::team-logs/*\"}]"))))
          .build();
  static final BundleStore.Ref BUNDLE =
      new BundleStore.Ref(
          "bdl_1",
          Optional.of("incident"),
          List.of("req_plain", "req_logs"),
          List.of("aws-prod", "s3-logs"));

  @Test
  void aBundlesRowDecidesAllOfItAndShowsItsNarrowedRequestsPolicy() {
    List<AccessRequest> decides =
        ApprovalPages.decides(
            PLAIN, List.of(PLAIN, LOGS), Map.of("req_plain", BUNDLE, "req_logs", BUNDLE));

    assertThat(decides).containsExactly(PLAIN, LOGS);
    String beside = NarrowedSection.beside(decides).toString();
    assertThat(beside)
        .contains(
            "Approving grants <strong>s3-logs</strong> narrowed to bucket <code>team-logs</code>")
        .contains("&quot;Resource&quot; : &quot;arn:aws:s3:::team-logs/*&quot;")
        .doesNotContain("aws-prod");
    assertThat(beside.split("<div class=\"narrowed\">", -1)).hasSize(2);
  }

  @Test
  void aBundleNotAllListedIsDecidedOnItsPageAndARequestAloneDecidesItself() {
    assertThat(ApprovalPages.decides(PLAIN, List.of(PLAIN), Map.of("req_plain", BUNDLE))).isEmpty();
    assertThat(ApprovalPages.decides(LOGS, List.of(PLAIN, LOGS), Map.of())).containsExactly(LOGS);
    assertThat(NarrowedSection.beside(List.of(PLAIN)).toString()).isEmpty();
  }
}
