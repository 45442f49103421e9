package dev.stint.testing;

import dev.stint.config.DatabaseUrl;
import java.util.Map;

/**
 * A server minting AWS credentials end to end: the STS and IAM stand-ins (roles
 * {@code prod-admin} and {@code sandbox}), a real IdP, its own database, and stint's own AWS
 * identity for assume_role through the SDK's default chain (system properties, cleared again on
 * close). The policy is {@link TestPolicies#requests}.
 */
public record AwsStack(FakeSts sts, FakeIam iam, TestIdp idp, DatabaseUrl db, TestServer server)
    implements AutoCloseable {

  public static AwsStack start() {
    System.setProperty("aws.accessKeyId", "AKIASTINTE2ETEST0002");
    System.setProperty("aws.secretAccessKey", "stint-e2e-test-secret-not-real-0000000001");
    FakeSts sts = new FakeSts();
    FakeIam iam = new FakeIam().createRole("prod-admin").createRole("sandbox");
    TestIdp idp = new TestIdp("corp");
    DatabaseUrl db = TestPostgres.migratedDatabase();
    TestServer server = TestServer.start(db, Map.of("STINT_AWS_STS_ENDPOINT",
        sts.uri().toString(), "STINT_AWS_IAM_ENDPOINT", iam.uri().toString(),
        "STINT_AWS_REGION", "eu-west-1"), TestPolicies.requests(idp));
    return new AwsStack(sts, iam, idp, db, server);
  }

  public ApiCalls api() {
    return new ApiCalls(server);
  }

  @Override
  public void close() throws Exception {
    server.close();
    idp.close();
    sts.close();
    iam.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }
}
