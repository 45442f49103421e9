package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * STS runs on stint's Vert.x transport and IAM on the Apache HttpClient 5 transport (each exercised
 * by every test against the fakes); the SDK's Netty client, which the Vert.x BOM would pair with a
 * Netty it was not built for, must stay off the classpath so no SDK client can pick it up by
 * default.
 */
class AwsTransportTest {
  @Test
  void theNettyClientIsNotOnTheClasspath() {
    assertThatThrownBy(
            () -> Class.forName("software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void settingsComeFromTheServerConfiguration() {
    AwsSettings settings =
        AwsSettings.of(
            Optional.of("eu-west-1"),
            Optional.of(URI.create("http://127.0.0.1:1/sts")),
            Optional.of(URI.create("http://127.0.0.1:1/iam")),
            Optional.empty());

    assertThat(settings.region()).contains("eu-west-1");
    assertThat(settings.stsEndpoint()).contains(URI.create("http://127.0.0.1:1/sts"));
    assertThat(settings.iamEndpoint()).contains(URI.create("http://127.0.0.1:1/iam"));
    assertThat(settings.signinEndpoint()).isEqualTo(URI.create("https://signin.aws.amazon.com"));
    assertThat(settings.calls()).isEqualTo(AwsSettings.Calls.DEFAULT);
  }

  @Test
  void aRevocationIsKeyedOnTheGrantsTagAndItsRolesNameIsTheArnsLastPart() {
    RoleDenies r =
        new RoleDenies(
            "arn:aws:iam::1:role/a/b/prod",
            List.of(
                new RoleDenies.Denied(
                    "grt_1", SourceIdentities.of("https://idp.example.com", "jane", "grt_1"))),
            Optional.empty());

    assertThat(r.grants().get(0).tagValue()).isEqualTo("grt_1");
    assertThat(r.roleName()).isEqualTo("prod");
    assertThatThrownBy(() -> new RoleDenies("prod", List.of(), Optional.empty()).roleName())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void iamIsSignedInThePartitionsHomeRegion() {
    assertThat(AwsClients.iamRegion(Region.EU_WEST_1)).isEqualTo(Region.US_EAST_1);
    assertThat(AwsClients.iamRegion(Region.CN_NORTHWEST_1)).isEqualTo(Region.CN_NORTH_1);
    assertThat(AwsClients.iamRegion(Region.US_GOV_EAST_1)).isEqualTo(Region.US_GOV_WEST_1);
  }
}
