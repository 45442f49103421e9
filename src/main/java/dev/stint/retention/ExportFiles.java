package dev.stint.retention;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.audit.AuditRecord;
import dev.stint.audit.ChainHash;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A partition's export as it is written: one JSON line per event in seq order (the line the JSONL
 * export and the API give: every column by name, {@code hash} last), each line checked to link to
 * the one before it, and the figures of its manifest gathered on the way.
 */
final class ExportFiles implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  private final Path jsonl;
  private final MessageDigest digest;
  private final OutputStream out;
  private long firstSeq;
  private String firstPrevHash;
  private long lastSeq;
  private String lastHash;
  private long count;
  private String sha256;

  ExportFiles(Path jsonl) throws IOException {
    this.jsonl = jsonl;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(jsonl)), digest);
  }

  /**
   * Adds the next event. The export must be a piece of the chain that verifies on its own:
   * contiguous seqs, each event naming the hash of the one before and matching its own hash.
   */
  void add(AuditRecord r) throws IOException {
    if (count == 0) {
      firstSeq = r.seq();
      firstPrevHash = r.prevHash();
    } else if (r.seq() != lastSeq + 1 || !r.prevHash().equals(lastHash)) {
      throw new IOException(
          "seq " + r.seq() + " does not follow seq " + lastSeq + " in the partition; not exported");
    }
    if (!r.computeHash().equals(r.hash())) {
      throw new IOException("seq " + r.seq() + " does not match its hash; not exported");
    }
    out.write(JSON.writeValueAsBytes(r.toMap()));
    out.write('\n');
    lastSeq = r.seq();
    lastHash = r.hash();
    count++;
  }

  long count() {
    return count;
  }

  long firstSeq() {
    return firstSeq;
  }

  long lastSeq() {
    return lastSeq;
  }

  String lastHash() {
    return lastHash;
  }

  /**
   * The manifest, once every line is written: enough to check the JSONL file on its own (count,
   * sha256), where it sits in the chain (first seq and the prev_hash it continues from; last seq
   * and hash, which the signed checkpoint repeats), and the names of its companions.
   */
  String manifest(MonthPartition p, String jsonlName, String checkpointName) throws IOException {
    close();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("partition", p.name());
    m.put("from", ChainHash.timestamp(p.from()));
    m.put("until", ChainHash.timestamp(p.until()));
    m.put("first_seq", firstSeq);
    m.put("first_prev_hash", firstPrevHash);
    m.put("last_seq", lastSeq);
    m.put("last_hash", lastHash);
    m.put("count", count);
    m.put("sha256", sha256);
    m.put("jsonl", jsonlName);
    m.put("checkpoint", checkpointName);
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a manifest is plain JSON", e);
    }
  }

  Path jsonl() {
    return jsonl;
  }

  /** Ends the file; its SHA-256 is known from then on. */
  @Override
  public void close() throws IOException {
    if (sha256 == null) {
      out.close();
      sha256 = HexFormat.of().formatHex(digest.digest());
    }
  }

  String sha256() {
    return sha256;
  }
}
