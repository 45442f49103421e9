package dev.stint.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The tests' JVMs resolve no name but localhost (pom.xml: jdk.net.hosts.file and Vert.x resolving
 * through the JVM), so a client a test leaves pointed at a cloud's real endpoint (CloudTrail, IAM,
 * STS) fails where it stands instead of reaching it. The names below resolve on any machine that
 * builds stint: Maven fetched its plugins from the first.
 */
class LoopbackOnlyTest {
  @Test
  void theJvmResolvesNoOutsideName() {
    for (String name :
        new String[] {"repo.maven.apache.org", "cloudtrail.us-east-1.amazonaws.com", "slack.com"}) {
      assertThatThrownBy(() -> InetAddress.getByName(name))
          .as(name)
          .isInstanceOf(UnknownHostException.class);
    }
  }

  @Test
  void localhostStillResolvesToLoopback() throws Exception {
    assertThat(InetAddress.getAllByName("localhost")).allMatch(InetAddress::isLoopbackAddress);
  }

  @Test
  void vertxClientsResolveThroughTheJvm() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      var http = vertx.createHttpClient();
      assertThatThrownBy(
              () ->
                  http.request(
                          new RequestOptions()
                              .setMethod(HttpMethod.GET)
                              .setAbsoluteURI("http://repo.maven.apache.org/"))
                      .await(Patience.seconds(10), TimeUnit.MILLISECONDS))
          .isInstanceOf(UnknownHostException.class);
    } finally {
      vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    }
  }
}
