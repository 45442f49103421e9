package dev.stint.directory;

import dev.stint.audit.AuditLog;
import dev.stint.identity.Directory;
import dev.stint.identity.MatchClaim;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SCIM 2.0 service provider (RFC 7643, RFC 7644) an identity provider pushes its users and
 * groups to: {@link #users()}, {@link #groups()}, the discovery documents, and the bearer token
 * every call must carry, compared in constant time and never kept but as a digest.
 */
public final class Scim {
  private static final Logger LOG = LoggerFactory.getLogger(Scim.class);
  private final byte[] tokenDigest;
  private final ScimUsers users;
  private final ScimGroups groups;
  private final ScimDiscovery discovery;
  private final DirectoryPeople people;
  private final Deprovisions deprovisions;
  private final Sightings sightings;
  private final AtomicLong unauthenticated = new AtomicLong();

  /**
   * {@code deprovisioning} ends what a person the directory deactivates or deletes holds; {@link
   * #deprovisions()} must also run on a timer, for work another replica committed or left undone.
   */
  public Scim(
      Pool pool,
      AuditLog audit,
      Settings settings,
      Deprovisioning deprovisioning,
      Directory directory,
      Clock clock) {
    this.tokenDigest = sha256(settings.token());
    ScimResources resources = new ScimResources(settings.publicUrl());
    DirectoryAudit events = new DirectoryAudit(audit);
    this.people = new DirectoryPeople(pool, settings.issuerUrl(), settings.matchClaim());
    this.deprovisions = new Deprovisions(pool, deprovisioning, audit, clock);
    this.users = new ScimUsers(pool, resources, events, people, clock, this::deprovisionNow);
    this.groups = new ScimGroups(pool, resources, events, clock);
    this.discovery = new ScimDiscovery(resources);
    this.sightings =
        new Sightings(
            pool, people, events, settings.issuerUrl(), directory, clock, this::deprovisionNow);
  }

  /**
   * The token the provider sends, the server's public URL, the URL of the issuer whose people the
   * directory's users are (asked at each match: the policy names it and may be reloaded), and the
   * claim of its tokens a user's externalId names a person by.
   */
  public record Settings(
      String token, URI publicUrl, Supplier<Optional<String>> issuerUrl, MatchClaim matchClaim) {
    /** Users named by their person's {@code sub}. */
    public Settings(String token, URI publicUrl, Supplier<Optional<String>> issuerUrl) {
      this(token, publicUrl, issuerUrl, MatchClaim.SUB);
    }

    @Override
    public String toString() {
      return "Settings[token=***, publicUrl=" + publicUrl + "]";
    }
  }

  /** People seen whom no user is matched to yet, matched to the users written before. */
  public Sightings sightings() {
    return sightings;
  }

  /** The deprovisioning work, for the timer that does what is waiting. */
  public Deprovisions deprovisions() {
    return deprovisions;
  }

  /**
   * After a write that marked someone: the work is done now on this replica, rather than at the
   * next tick. Its failure is the timer's to retry, since the row stays undone.
   */
  private Future<Integer> deprovisionNow() {
    return deprovisions
        .run()
        .onFailure(e -> LOG.warn("deprovisioning after a write: {}", e.getMessage()));
  }

  public ScimUsers users() {
    return users;
  }

  public ScimGroups groups() {
    return groups;
  }

  public ScimDiscovery discovery() {
    return discovery;
  }

  /**
   * Whether {@code authorization} carries the token; a refusal is counted (refusals are not
   * audited, as the API's own 401s are not). Asked before the body is read.
   */
  public boolean admits(Optional<String> authorization) {
    String presented =
        authorization
            .filter(a -> a.regionMatches(true, 0, "Bearer ", 0, 7))
            .map(a -> a.substring(7).strip())
            .orElse("");
    // Digests of equal length, so the comparison takes as long whatever was sent.
    boolean ok = MessageDigest.isEqual(tokenDigest, sha256(presented));
    if (!ok) {
      unauthenticated.incrementAndGet();
    }
    return ok;
  }

  /** Calls refused for their token. */
  public long unauthenticated() {
    return unauthenticated.get();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
