package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The SDK runs on the Apache HttpClient 5 transport (exercised by every test against the fakes);
 * the Netty client, which the Vert.x BOM would pair with a Netty it was not built for, must stay
 * off the classpath so no SDK client can pick it up by default.
 */
class AwsTransportTest {
  @Test
  void theNettyClientIsNotOnTheClasspath() {
    assertThatThrownBy(() -> Class.forName("software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void iamIsSignedInThePartitionsHomeRegion() {
    assertThat(AwsClients.iamRegion(Region.EU_WEST_1)).isEqualTo(Region.US_EAST_1);
    assertThat(AwsClients.iamRegion(Region.CN_NORTHWEST_1)).isEqualTo(Region.CN_NORTH_1);
    assertThat(AwsClients.iamRegion(Region.US_GOV_EAST_1)).isEqualTo(Region.US_GOV_WEST_1);
  }
}
