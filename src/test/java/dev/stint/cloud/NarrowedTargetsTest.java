package dev.stint.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.common.AwsSessionPolicy;
import dev.stint.common.FilledDocument;
import dev.stint.common.ParameterPatterns;
import dev.stint.common.ParameterValues;
import dev.stint.common.SourceNetworks;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An AWS session policy and a GCP access boundary filled with a request's values. */
class NarrowedTargetsTest {
  private static final String ROLE = "arn:aws:iam::111122223333:role/r";
  private static final String READ_BUCKET =
      "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
          + "\"Resource\":\"arn:aws:s3:::${bucket}/*\"}]";
  private static final ParameterPatterns BUCKET =
      ParameterPatterns.of(Map.of("bucket", "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"));
  private static final String BOUNDARY =
      "{\"accessBoundary\":{\"accessBoundaryRules\":[{\"availableResource\":"
          + "\"//storage.googleapis.com/projects/_/buckets/${bucket}\","
          + "\"availablePermissions\":[\"inRole:roles/storage.objectViewer\"]}]}}";

  private static AwsTarget narrowed(String template, ParameterPatterns parameters) {
    return new AwsTarget(
        ROLE,
        AwsTarget.Mode.ASSUME_ROLE,
        Optional.empty(),
        Optional.of(template),
        List.of(),
        parameters);
  }

  private static ParameterValues bucket(String name) {
    return ParameterValues.of(Map.of("bucket", name));
  }

  @Test
  void aTemplateIsNeverHandedOutUnfilled() {
    AwsTarget aws = narrowed(READ_BUCKET, BUCKET);
    assertThatThrownBy(() -> aws.sessionPolicyFrom(SourceNetworks.ANY))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is a template");
    assertThatThrownBy(() -> aws.sessionPolicyFrom(SourceNetworks.ANY, ParameterValues.NONE))
        .hasMessage("bucket: no value given");
  }

  @Test
  void aProfileWithoutParametersTakesNone() {
    AwsTarget plain =
        new AwsTarget(
            ROLE,
            AwsTarget.Mode.ASSUME_ROLE,
            Optional.empty(),
            Optional.of(READ_BUCKET.replace("${bucket}", "logs")),
            List.of());
    assertThatThrownBy(() -> plain.sessionPolicyFrom(SourceNetworks.ANY, bucket("logs")))
        .hasMessage("this profile takes no parameters");
    assertThat(plain.sessionPolicyFrom(SourceNetworks.ANY, ParameterValues.NONE))
        .isEqualTo(plain.sessionPolicyFrom(SourceNetworks.ANY));
  }

  @Test
  void theParametersMustBeThoseTheTemplateUses() {
    assertThatThrownBy(
            () -> narrowed(READ_BUCKET, ParameterPatterns.of(Map.of("other", "[a-z]{1,9}"))))
        .hasMessage("the document uses [bucket] but the parameters are [other]");
    assertThatThrownBy(
            () ->
                new AwsTarget(
                    ROLE,
                    AwsTarget.Mode.ASSUME_ROLE,
                    Optional.empty(),
                    Optional.empty(),
                    List.of(),
                    BUCKET))
        .hasMessage("parameters need a session policy to fill");
  }

  @Test
  void theFilledSessionPolicyNamesExactlyTheBucketAsAString() {
    AwsTarget aws = narrowed(READ_BUCKET, BUCKET);
    AwsSessionPolicy policy = aws.sessionPolicyFrom(SourceNetworks.ANY, bucket("team-logs"));
    assertThat(policy.document(Instant.EPOCH))
        .startsWith(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::team-logs/*\"},");
    FilledDocument filled = aws.filledSessionPolicy(bucket("team-logs")).orElseThrow();
    assertThat(filled.json()).contains("\"arn:aws:s3:::team-logs/*\"");
    assertThat(filled.sha256()).hasSize(64);
  }

  @Test
  void aFilledPolicyPastStsLimitIsRefusedNamingItsSizeAndTheLimit() {
    StringBuilder resources = new StringBuilder();
    for (int i = 0; i < 9; i++) {
      resources.append(i == 0 ? "" : ",").append("\"arn:aws:s3:::${bucket}/").append(i).append('"');
    }
    AwsTarget aws =
        narrowed(
            "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":[" + resources + "]}]",
            ParameterPatterns.of(Map.of("bucket", "[a-z]{1,256}")));
    assertThat(aws.sessionPolicyFrom(SourceNetworks.ANY, bucket("short"))).isNotNull();
    assertThatThrownBy(() -> aws.sessionPolicyFrom(SourceNetworks.ANY, bucket("a".repeat(256))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching(".*comes to 2\\d{3} characters; AWS allows 2048");
  }

  @Test
  void anAccessBoundaryIsFilledOrRefusedTheSameWay() {
    GcpTarget plain =
        GcpTarget.impersonate("viewer@p-123.iam.gserviceaccount.com", List.of("cloud-platform"));
    assertThat(plain.accessBoundaryFor(ParameterValues.NONE)).isEmpty();
    assertThatThrownBy(() -> plain.accessBoundaryFor(bucket("x")))
        .hasMessage("this profile takes no parameters");
    GcpTarget gcp =
        new GcpTarget(
            plain.serviceAccount(),
            plain.scopes(),
            List.of(),
            GcpTarget.Mode.IMPERSONATE,
            Optional.empty(),
            Optional.of(BOUNDARY),
            BUCKET);
    assertThat(gcp.accessBoundaryFor(bucket("team-data")).orElseThrow().json())
        .contains("\"//storage.googleapis.com/projects/_/buckets/team-data\"");
    assertThatThrownBy(() -> gcp.accessBoundaryFor(bucket("team-data/../x")))
        .hasMessageStartingWith("bucket: ");
    assertThatThrownBy(
            () ->
                new GcpTarget(
                    plain.serviceAccount(),
                    plain.scopes(),
                    List.of(),
                    GcpTarget.Mode.IMPERSONATE,
                    Optional.empty(),
                    Optional.empty(),
                    BUCKET))
        .hasMessageContaining("parameters need an access_boundary to fill");
    GcpTarget unbound = gcp.withParameters(ParameterPatterns.NONE);
    assertThatThrownBy(() -> unbound.accessBoundaryFor(ParameterValues.NONE))
        .hasMessage("the document uses [bucket] but the parameters are []");
  }
}
