package dev.stint.standin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.common.AwsSessionPolicy;
import dev.stint.common.SourceNetworks;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The identity-policy grammar IAM and STS hold documents to: what it lets through (what stint
 * writes among it), as the refusals are FakeIamTest's and FakeStsTest's.
 */
class PolicyGrammarTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        // No Version: IAM reads it as the 2008-10-17 language and accepts it.
        "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}}",
        "{\"Version\":\"2008-10-17\",\"Id\":\"p\",\"Statement\":[{\"Effect\":\"Deny\","
            + "\"NotAction\":[\"iam:*\",\"sts:Get*\"],\"NotResource\":\"arn:aws:iam::1:role/x\"}]}",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"A1\",\"Effect\":\"Deny\","
            + "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":"
            + "false},\"NumericLessThan\":{\"s3:max-keys\":[10,\"20\"]}}}]}",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"execute-api:Invoke\",\"Resource\":\"arn:aws:execute-api:*\"}]}"
      })
  void aPolicyOfTheGrammarPasses(String document) {
    assertThat(PolicyGrammar.malformed(document)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0.0.0.0/0", "10.0.0.0/8,203.0.113.7/32"})
  void everySessionPolicyStintWritesPasses(String cidrs) {
    SourceNetworks sources =
        cidrs.isEmpty() ? SourceNetworks.ANY : SourceNetworks.parse(List.of(cidrs.split(",")));
    String narrowing =
        "[{\"Effect\":\"Allow\",\"Action\":[\"s3:Get*\",\"s3:List*\"],\"Resource\":\"*\"}]";
    for (AwsSessionPolicy policy :
        List.of(
            new AwsSessionPolicy(sources, Optional.empty(), List.of()),
            new AwsSessionPolicy(sources, Optional.of(narrowing), List.of()),
            new AwsSessionPolicy(
                sources, Optional.empty(), List.of("arn:aws:iam::aws:policy/ReadOnlyAccess")))) {
      String document = policy.document(Instant.parse("2026-11-23T10:30:00Z"));
      assertThat(PolicyGrammar.malformed(document)).as(document).isEmpty();
    }
  }
}
