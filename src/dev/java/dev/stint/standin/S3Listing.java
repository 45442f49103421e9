package dev.stint.standin;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.function.Function;

/**
 * One page of a {@code ListObjectsV2}: the keys after {@code start-after} or the {@code
 * continuation-token}, under {@code prefix}, those with {@code delimiter} after the prefix rolled
 * up into common prefixes, at most {@code max-keys} (1000) entries, keys URL-encoded when {@code
 * encoding-type=url} asks for it.
 */
record S3Listing(
    Map<String, String> query,
    List<Map.Entry<String, StoredObject>> contents,
    Set<String> prefixes,
    String next,
    String refusal) {

  static S3Listing of(
      NavigableMap<String, StoredObject> objects, Map<String, String> query, int most) {
    int max;
    try {
      max = Math.min(most, Integer.parseInt(query.getOrDefault("max-keys", "" + most)));
    } catch (NumberFormatException e) {
      max = -1;
    }
    if (max < 0) {
      return new S3Listing(
          query,
          List.of(),
          Set.of(),
          null,
          "Provided max-keys not an integer or within integer range");
    }
    String prefix = query.getOrDefault("prefix", "");
    String delimiter = query.getOrDefault("delimiter", "");
    String after = query.getOrDefault("start-after", "");
    if (query.containsKey("continuation-token")) {
      after =
          new String(
              Base64.getDecoder().decode(query.get("continuation-token")), StandardCharsets.UTF_8);
    }
    List<Map.Entry<String, StoredObject>> contents = new ArrayList<>();
    Set<String> prefixes = new LinkedHashSet<>();
    String last = null;
    for (Map.Entry<String, StoredObject> e : objects.tailMap(after, false).entrySet()) {
      String key = e.getKey();
      if (!key.startsWith(prefix)) {
        continue;
      }
      int cut = delimiter.isEmpty() ? -1 : key.indexOf(delimiter, prefix.length());
      String rolled = cut < 0 ? null : key.substring(0, cut + delimiter.length());
      if (rolled != null && prefixes.contains(rolled)) {
        continue;
      }
      if (contents.size() + prefixes.size() == max) {
        return new S3Listing(query, contents, prefixes, last, null);
      }
      if (rolled != null) {
        prefixes.add(rolled);
      } else {
        contents.add(e);
      }
      last = rolled != null ? rolled + Character.MAX_VALUE : key;
    }
    return new S3Listing(query, contents, prefixes, null, null);
  }

  String xml(String bucket, Function<Instant, String> time) {
    boolean url = "url".equals(query.get("encoding-type"));
    Function<String, String> out =
        s ->
            Xml.escape(
                url
                    ? URLEncoder.encode(s, StandardCharsets.UTF_8)
                        .replace("+", "%20")
                        .replace("%2F", "/")
                    : s);
    StringBuilder x =
        new StringBuilder("<ListBucketResult xmlns=\"" + S3StandIn.NAMESPACE + "\"><Name>")
            .append(Xml.escape(bucket))
            .append("</Name><Prefix>")
            .append(out.apply(query.getOrDefault("prefix", "")))
            .append("</Prefix>");
    if (query.containsKey("delimiter")) {
      x.append("<Delimiter>").append(out.apply(query.get("delimiter"))).append("</Delimiter>");
    }
    if (url) {
      x.append("<EncodingType>url</EncodingType>");
    }
    x.append("<KeyCount>").append(contents.size() + prefixes.size()).append("</KeyCount>");
    x.append("<MaxKeys>").append(query.getOrDefault("max-keys", "1000")).append("</MaxKeys>");
    x.append("<IsTruncated>").append(next != null).append("</IsTruncated>");
    if (query.containsKey("continuation-token")) {
      x.append("<ContinuationToken>")
          .append(Xml.escape(query.get("continuation-token")))
          .append("</ContinuationToken>");
    }
    if (next != null) {
      x.append("<NextContinuationToken>")
          .append(Base64.getEncoder().encodeToString(next.getBytes(StandardCharsets.UTF_8)))
          .append("</NextContinuationToken>");
    }
    for (Map.Entry<String, StoredObject> e : contents) {
      StoredObject o = e.getValue();
      x.append("<Contents><Key>")
          .append(out.apply(e.getKey()))
          .append("</Key><LastModified>")
          .append(time.apply(o.modified()))
          .append("</LastModified><ETag>")
          .append(Xml.escape(o.etag()))
          .append("</ETag><Size>")
          .append(o.size())
          .append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
    }
    prefixes.forEach(
        p ->
            x.append("<CommonPrefixes><Prefix>")
                .append(out.apply(p))
                .append("</Prefix></CommonPrefixes>"));
    return x.append("</ListBucketResult>").toString();
  }
}
