package dev.stint.checkpoint;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import dev.stint.audit.AuditRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Checks a retention export on its own: the JSONL file against its manifest (SHA-256, count, first
 * and last seq, the first prev_hash), every line's hash and link to the line before, and the last
 * hash against the export's signed checkpoint under the given keys. The manifest and checkpoint are
 * found beside the file, by the names retention gives them.
 */
public final class ExportCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExportCheck() {}

  /** What a whole export vouches for: its seq range and the hash of its last event. */
  public record Verified(long firstSeq, long lastSeq, long count, String lastHash) {}

  /** Why an export does not check out. */
  public static final class Broken extends Exception {
    Broken(String message) {
      super(message);
    }
  }

  public static Verified check(Path jsonl, JWKSet keys) throws Broken, IOException {
    String name = jsonl.getFileName().toString();
    if (!name.endsWith(".jsonl")) {
      throw new Broken(name + " is not a retention export (*.jsonl)");
    }
    Path manifestFile = jsonl.resolveSibling(name.substring(0, name.length() - 6) + ".manifest");
    JsonNode manifest = JSON.readTree(Files.readString(manifestFile));
    Checkpoint checkpoint;
    try {
      checkpoint =
          CheckpointClaims.verify(
              Files.readString(jsonl.resolveSibling(manifest.path("checkpoint").asText("missing"))),
              keys);
    } catch (CheckpointClaims.InvalidCheckpoint e) {
      throw new Broken("the export's checkpoint cannot be trusted: " + e.getMessage());
    }
    String sha;
    try (InputStream in = Files.newInputStream(jsonl)) {
      sha = DirectoryAnchor.sha256(in);
    }
    if (!sha.equals(manifest.path("sha256").asText())) {
      throw new Broken(name + " does not match the SHA-256 in its manifest");
    }
    Verified v = lines(jsonl, manifest.path("first_prev_hash").asText());
    if (v.count() != manifest.path("count").asLong()
        || v.firstSeq() != manifest.path("first_seq").asLong()
        || v.lastSeq() != manifest.path("last_seq").asLong()) {
      throw new Broken(name + " does not hold the seqs and count its manifest gives");
    }
    if (!CheckpointClaims.isExport(checkpoint)
        || checkpoint.seq() != v.lastSeq()
        || !checkpoint.hash().equals(v.lastHash())) {
      throw new Broken(
          "the signed checkpoint does not vouch for seq "
              + v.lastSeq()
              + " with the export's last hash");
    }
    return v;
  }

  private static Verified lines(Path jsonl, String firstPrev) throws Broken, IOException {
    long first = 0;
    long last = 0;
    long count = 0;
    String prev = firstPrev;
    try (BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        AuditRecord r;
        try {
          r =
              AuditRecord.fromMap(
                  JSON.readValue(line, new TypeReference<Map<String, Object>>() {}));
        } catch (IllegalArgumentException | IOException e) {
          throw new Broken("line " + (count + 1) + " is not an audit event");
        }
        if (count > 0 && r.seq() != last + 1) {
          throw new Broken("gap: seq " + (last + 1) + " is missing, next is " + r.seq());
        }
        if (!r.prevHash().equals(prev)) {
          throw new Broken("seq " + r.seq() + ": prev_hash does not name the hash before it");
        }
        if (!r.computeHash().equals(r.hash())) {
          throw new Broken("seq " + r.seq() + ": the event does not match its hash");
        }
        first = count == 0 ? r.seq() : first;
        last = r.seq();
        prev = r.hash();
        count++;
      }
    }
    return new Verified(first, last, count, prev);
  }
}
