package dev.stint.standin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The signature recomputed for a request of AWS's Signature Version 4 test suite matches the one
 * published for it, and no longer does with another secret or another body.
 */
class SigV4SignatureTest {
  /** The "get-vanilla" request of AWS's Signature Version 4 test suite. */
  @Test
  void theSignatureIsAwsOwnForItsPublishedTestRequest() {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("Host", List.of("example.amazonaws.com"));
    headers.put("X-Amz-Date", List.of("20150830T123600Z"));
    String scope =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
            + " SignedHeaders=host;x-amz-date, Signature=";
    headers.put(
        "Authorization",
        List.of(scope + "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
    QueryRequest request = new QueryRequest("GET", "/", Map.of(), headers);
    String secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    assertThat(SigV4Signature.matches(request, "", secret)).isTrue();
    assertThat(SigV4Signature.matches(request, "", secret.replace('w', 'W'))).isFalse();
    assertThat(SigV4Signature.matches(request, "{}", secret)).isFalse();
  }
}
