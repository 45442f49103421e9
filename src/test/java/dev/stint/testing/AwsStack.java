package dev.stint.testing;

import dev.stint.config.DatabaseUrl;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A server minting AWS credentials end to end: the STS and IAM stand-ins (roles {@code prod-admin}
 * and {@code sandbox}), a real IdP, its own database, and stint's own AWS identity for assume_role
 * through the SDK's default chain (system properties, cleared again on close). The policy is {@link
 * TestPolicies#requests}.
 */
public record AwsStack(FakeSts sts, FakeIam iam, TestIdp idp, DatabaseUrl db, TestServer server)
    implements AutoCloseable {

  public static AwsStack start() {
    return start(TestPolicies::requests, "prod-admin", "sandbox");
  }

  /** A stack with these IAM roles and the policy {@code policy} writes for its IdP. */
  public static AwsStack start(Function<TestIdp, String> policy, String... roles) {
    return start(policy, Map.of(), roles);
  }

  /** As {@link #start(Function, String...)}, with {@code env} in the server's environment too. */
  public static AwsStack start(
      Function<TestIdp, String> policy, Map<String, String> env, String... roles) {
    System.setProperty("aws.accessKeyId", "AKIASTINTE2ETEST0002");
    System.setProperty("aws.secretAccessKey", "stint-e2e-test-secret-not-real-0000000001");
    FakeSts sts = new FakeSts();
    FakeIam iam = new FakeIam();
    for (String role : roles) {
      iam.createRole(role);
    }
    TestIdp idp = new TestIdp("corp");
    DatabaseUrl db = TestPostgres.migratedDatabase();
    Map<String, String> all =
        new HashMap<>(
            Map.of(
                "STINT_AWS_STS_ENDPOINT",
                sts.uri().toString(),
                "STINT_AWS_IAM_ENDPOINT",
                iam.uri().toString(),
                "STINT_AWS_REGION",
                "eu-west-1"));
    all.putAll(env);
    TestServer server = TestServer.start(db, all, policy.apply(idp));
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
