package dev.stint.cli.ci;

import dev.stint.testing.FakeSts;
import dev.stint.testing.StintAwsKeys;
import dev.stint.testing.TempDirs;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * What the jobs of docs/ci.md's snippets talk to in the doc tests: a fake STS, the CI provider's
 * issuer (on 127.0.0.1, port 0), a real stint server whose policy has the {@code aws-prod-deploy}
 * profile besides the issuers and CI rules a test gives, and a tarball laid out like make dist's to
 * install stint from.
 */
record CiDocStack(FakeSts sts, TestIdp idp, TestServer server, Path dist, Path tarball)
    implements AutoCloseable {

  /** {@code issuersAndRules}: the policy's {@code issuers:} and {@code ci:}, given the issuer. */
  static CiDocStack start(String issuerId, Function<TestIdp, String> issuersAndRules)
      throws Exception {
    StintAwsKeys.use();
    FakeSts sts = new FakeSts();
    TestIdp idp = new TestIdp(issuerId);
    String policy =
        issuersAndRules.apply(idp)
            + "profiles:\n"
            + "  aws-prod-deploy:\n"
            + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/deploy\", mode: web_identity}\n"
            + "    max_duration: 1h\n"
            + "    requesters: 'false'\n"
            + "    approval: {count: 1, approvers: 'false'}\n";
    TestServer server;
    try {
      server =
          TestServer.start(
              TestPostgres.migratedDatabase(),
              Map.of(
                  "STINT_AWS_STS_ENDPOINT", sts.uri().toString(), "STINT_AWS_REGION", "us-east-1"),
              policy);
    } catch (RuntimeException e) {
      idp.close();
      sts.close();
      StintAwsKeys.clear();
      throw e;
    }
    sts.trust(server.awsProvider());
    Path dist = TempDirs.create("stint-dist");
    return new CiDocStack(sts, idp, server, dist, CiJobTools.distTarball(dist));
  }

  @Override
  public void close() throws Exception {
    server.close();
    idp.close();
    sts.close();
    StintAwsKeys.clear();
    TestPostgres.deleteTree(dist);
  }
}
