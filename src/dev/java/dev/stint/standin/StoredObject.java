package dev.stint.standin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/** An object of the S3 stand-in: its bytes (text here), content type and when it was written. */
record StoredObject(String body, String contentType, Instant modified) {
  String etag() {
    try {
      byte[] md5 = MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8));
      return "\"" + HexFormat.of().formatHex(md5) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  int size() {
    return body.getBytes(StandardCharsets.UTF_8).length;
  }
}
