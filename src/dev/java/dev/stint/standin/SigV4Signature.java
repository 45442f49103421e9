package dev.stint.standin;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signature Version 4 recomputed, for a stand-in that knows the caller's secret key (as AWS knows
 * it): the canonical request of the signed headers, the string to sign over the credential scope,
 * and the key derived from the secret, the day, the region and the service. {@link SigV4} checks a
 * signature's form; this checks that it is the right one.
 *
 * <p>Only the {@code Authorization} header form is recomputed: a call signed in its query string
 * does not match, so such a call is refused rather than let through unchecked.
 */
public final class SigV4Signature {
  private static final HexFormat HEX = HexFormat.of();

  private SigV4Signature() {}

  /**
   * Whether {@code request}, with {@code body}, carries the signature AWS computes for it with
   * {@code secretAccessKey}. The request has passed {@link SigV4#check}.
   */
  public static boolean matches(QueryRequest request, String body, String secretAccessKey) {
    String authorization = request.header("Authorization");
    if (authorization == null) {
      return false;
    }
    Map<String, String> parts = parts(authorization);
    String[] scope = parts.getOrDefault("Credential", "").split("/", 2);
    String date = request.header("X-Amz-Date");
    if (scope.length != 2 || date == null || parts.get("SignedHeaders") == null) {
      return false;
    }
    String canonical = canonicalRequest(request, body, parts.get("SignedHeaders"));
    String toSign =
        "AWS4-HMAC-SHA256\n" + date + "\n" + scope[1] + "\n" + HEX.formatHex(sha256(canonical));
    byte[] key = ("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8);
    for (String element : scope[1].split("/")) {
      key = hmac(key, element);
    }
    byte[] expected = HEX.formatHex(hmac(key, toSign)).getBytes(StandardCharsets.US_ASCII);
    byte[] given = parts.getOrDefault("Signature", "").getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given);
  }

  private static Map<String, String> parts(String authorization) {
    String[] words = authorization.strip().split("\\s+", 2);
    Map<String, String> parts = new LinkedHashMap<>();
    for (String part : (words.length > 1 ? words[1] : "").split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        parts.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
      }
    }
    return parts;
  }

  private static String canonicalRequest(QueryRequest request, String body, String signed) {
    StringBuilder headers = new StringBuilder();
    for (String name : signed.split(";")) {
      List<String> values = request.headers().getOrDefault(name, List.of());
      List<String> trimmed = new ArrayList<>();
      for (String value : values) {
        trimmed.add(value.strip().replaceAll("\\s+", " "));
      }
      headers.append(name).append(':').append(String.join(",", trimmed)).append('\n');
    }
    String payload = request.header("X-Amz-Content-Sha256");
    return request.method()
        + "\n"
        + canonicalUri(request.path())
        + "\n"
        + canonicalQuery(request.params())
        + "\n"
        + headers
        + "\n"
        + signed
        + "\n"
        + (payload != null ? payload : HEX.formatHex(sha256(body)));
  }

  /** Each segment of the path as sent, encoded once more: what every service but S3 signs. */
  private static String canonicalUri(String path) {
    if (path == null || path.isEmpty()) {
      return "/";
    }
    List<String> segments = new ArrayList<>();
    for (String segment : path.split("/", -1)) {
      segments.add(encode(segment));
    }
    return String.join("/", segments);
  }

  private static String canonicalQuery(Map<String, String> params) {
    Map<String, String> sorted = new TreeMap<>();
    params.forEach((k, v) -> sorted.put(encode(k), encode(v)));
    List<String> pairs = new ArrayList<>();
    sorted.forEach((k, v) -> pairs.add(k + "=" + v));
    return String.join("&", pairs);
  }

  /** RFC 3986 percent-encoding, every byte but the unreserved characters. */
  private static String encode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(HEX.withUpperCase().toHexDigits(b));
      }
    }
    return out.toString();
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
