package dev.stint.mint.aws;

import dev.stint.mint.Blocking;
import dev.stint.mint.MintException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ConcurrentModificationException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * Ends live AWS sessions of revoked grants (ARCHITECTURE §7): writes a role's stint-managed inline
 * policy {@code stint-revocations} so that it holds exactly the {@link RoleDenies} stint recorded
 * for the role, beside whatever others wrote there, with {@code PutRolePolicy}.
 *
 * <p>IAM has no conditional write, so a read-modify-write can lose a concurrent one: writes for one
 * role are serialized in this process, across replicas by the caller, and every write is read back
 * and redone (up to {@link #ATTEMPTS} times) when another writer's version replaced it. The
 * read-back alone cannot catch a writer that replaces ours after we read it back; only the caller's
 * serialization prevents that.
 */
public final class AwsRevocations {
  /** What became of a write. */
  public sealed interface Written {
    /** IAM holds the denies; {@code characters} is the document's size as IAM counts it. */
    record Applied(int characters, int earlierKept) implements Written {}

    /**
     * The denies do not fit IAM's limit: the document alone ({@code byIam} false, nothing was sent)
     * or with the role's other inline policies (IAM refused it). {@code latestEarlier} is the
     * latest end of the earlier per-hour statements still in force: a cutoff meant to stand for
     * them must last as long.
     */
    record TooLarge(int characters, boolean byIam, Optional<Instant> latestEarlier)
        implements Written {}
  }

  static final int ATTEMPTS = 3;

  /** What stint's identity needs on a revocable role, for people reading a refusal. */
  static final String PERMISSIONS =
      "iam:GetRolePolicy and iam:PutRolePolicy, and the managed policy permissions on"
          + " policy/stint/* that docs/clouds.md lists";

  /**
   * Managed policies stint attaches to a role by default: with the inline policy, room for about
   * 1,200 revoked grants, while five of IAM's default ten attachment slots stay the role's own.
   */
  public static final int DEFAULT_POLICIES = 5;

  /** IAM's highest quota of policies attached to a role. */
  public static final int MAX_POLICIES = 20;

  private static final Logger LOG = LoggerFactory.getLogger(AwsRevocations.class);

  private final AwsClients clients;
  private final Executor executor;
  private final Clock clock;
  private final Map<String, Object> roleLocks = new ConcurrentHashMap<>();
  private final PortalRevocations portal;

  /** How many managed policies of its own stint may attach to one role. */
  private final int slots;

  /**
   * What stint's inline policy may take on a role whose other inline policies leave less than IAM's
   * limit, as IAM's refusals taught it (the others rarely change; a restart forgets it).
   */
  private final Map<String, Integer> inlineBudgets = new ConcurrentHashMap<>();

  /** With the default number of managed policies per role ({@link #DEFAULT_POLICIES}). */
  public AwsRevocations(AwsClients clients, Executor executor, Clock clock) {
    this(clients, executor, clock, DEFAULT_POLICIES);
  }

  /**
   * @param policies how many managed policies of its own stint may attach to one role (0: the
   *     inline policy alone)
   */
  public AwsRevocations(AwsClients clients, Executor executor, Clock clock, int policies) {
    if (policies < 0 || policies > MAX_POLICIES) {
      throw new IllegalArgumentException("policies must be 0 to " + MAX_POLICIES);
    }
    this.clients = clients;
    this.executor = executor;
    this.clock = clock;
    this.slots = policies;
    this.portal = new PortalRevocations(clients, executor);
  }

  /** The writer of the member accounts' portal revocation policies ({@link PortalPolicy}). */
  PortalRevocations portal() {
    return portal;
  }

  /**
   * Writes the role's denies. A document too large for IAM is an answer, not a failure, so the
   * caller can widen the deny. The future fails with a {@link MintException}: {@code retryable()}
   * for throttling, conflicts and outages, not for a role that does not exist or refused
   * permissions (an operator must act).
   */
  public CompletableFuture<Written> write(RoleDenies denies) {
    return Blocking.supply(
        executor,
        () -> {
          String roleName;
          AwsAccounts.Reach reach;
          try {
            roleName = denies.roleName();
            reach = reach(denies);
          } catch (IllegalArgumentException e) {
            throw RevocationFailures.failure(
                denies, "the role ARN is not an IAM role ARN", false, e);
          }
          synchronized (roleLocks.computeIfAbsent(denies.roleArn(), k -> new Object())) {
            return writeNow(roleName, denies, clients.iam(reach), reach);
          }
        },
        busy -> MintException.unavailable("AWS IAM", denies.roleArn(), busy));
  }

  /**
   * The role's own account, reached with stint's identity or the account's broker role: IAM names a
   * role by name alone, so the deny is written only with an identity of the role's account, never
   * on a same-named role of stint's own.
   */
  private AwsAccounts.Reach reach(RoleDenies denies) {
    AwsAccounts.Reach reach;
    try {
      reach = clients.accounts().reachNow(denies.roleArn());
    } catch (SdkException e) {
      MintException generic =
          AwsErrors.map("GetCallerIdentity", RevocationFailures.roleName(denies), e);
      throw RevocationFailures.failure(
          denies,
          generic
              .misconfiguration()
              .orElse(
                  generic.retryable()
                      ? "AWS STS is unavailable (stint's own account is not known yet)"
                      : "AWS STS would not say which account stint's own identity is in"),
          generic.retryable(),
          e);
    }
    if (reach instanceof AwsAccounts.Reach.Unreachable u) {
      MintException e =
          AwsAccounts.unreachable(
              u, reason -> RevocationFailures.failure(denies, reason, false, null));
      LOG.error("AWS revocation denies cannot be written: {}", e.detail());
      throw e;
    }
    return reach;
  }

  private Written writeNow(
      String roleName, RoleDenies denies, IamClient iam, AwsAccounts.Reach reach) {
    for (int attempt = 1; ; attempt++) {
      try {
        Optional<Written> written = attempt(iam, roleName, denies);
        if (written.isPresent()) {
          return written.get();
        }
        LOG.warn(
            "AWS revocation denies on role {} were replaced by a concurrent write"
                + " (attempt {})",
            roleName,
            attempt);
        if (attempt >= ATTEMPTS) {
          throw RevocationFailures.failure(
              denies, "another writer kept replacing the revocation policy", true, null);
        }
      } catch (ConcurrentModificationException e) {
        if (attempt >= ATTEMPTS) {
          throw RevocationFailures.failure(
              denies, "IAM reported concurrent changes to the role", true, e);
        }
      } catch (IllegalStateException e) {
        LOG.error(
            "AWS revocation denies on role {} cannot be written: {}", roleName, e.getMessage());
        throw RevocationFailures.failure(denies, e.getMessage(), false, e);
      } catch (SdkException e) {
        throw RevocationFailures.mapped(denies, roleName, reach, e);
      }
    }
  }

  /**
   * One read, layout, write and read-back. Empty when another writer's version replaced ours before
   * the read-back (try again).
   */
  private Optional<Written> attempt(IamClient iam, String roleName, RoleDenies denies) {
    ManagedRevocations managed = new ManagedRevocations(iam, denies.roleArn(), roleName);
    int usable = slots;
    for (int tries = 0; ; tries++) {
      Optional<String> existing = read(iam, roleName);
      Set<String> attached = slots == 0 ? Set.of() : managed.attached();
      Layout layout = layout(existing, attached, managed, denies, usable);
      if (!layout.placed().fits()) {
        // IAM's refusals taught the room this layout had, or the documents alone do not fit.
        boolean byIam = usable < slots || inlineBudgets.containsKey(denies.roleArn());
        return Optional.of(
            new Written.TooLarge(
                layout.placed().unplacedCharacters(), byIam, layout.base().latestEarlier()));
      }
      Refused refused = writeAll(iam, denies.roleArn(), managed, layout, attached);
      if (refused.wrote()) {
        break;
      }
      if (refused.slot() < 0) {
        // Another revocation's write already holds these denies: most of a backlog ends here.
        int characters = RevocationPolicy.characters(layout.base().policy().toString());
        return Optional.of(new Written.Applied(characters, layout.base().earlierKept()));
      }
      boolean learned =
          refused.slot() > 0
              ? refused.slot() - 1 < usable
              : refused.inlineBudget()
                  < inlineBudgets.getOrDefault(denies.roleArn(), RevocationPolicy.MAX_CHARS);
      if (refused.slot() > 0) {
        // The role's quota of attached policies is taken: this slot and those after it are not
        // stint's to use, for this write (a slot may free later).
        usable = refused.slot() - 1;
      } else {
        inlineBudgets.put(denies.roleArn(), refused.inlineBudget());
      }
      if (!learned || tries > slots + 1) {
        return Optional.of(new Written.TooLarge(0, true, layout.base().latestEarlier()));
      }
    }
    return readBack(iam, roleName, managed, denies);
  }

  /** What IAM holds, and where each deny goes. */
  private record Layout(
      RevocationPolicy.Base base,
      Optional<String> inline,
      List<Optional<String>> managed,
      DenyLayout.Placed placed) {}

  /**
   * What a write did: all written ({@code wrote}), nothing to write (slot -1), or IAM's refusal of
   * room in managed slot {@code slot}, or (slot 0) inline, with what fits there.
   */
  private record Refused(int slot, int inlineBudget, boolean wrote) {
    static final Refused WROTE = new Refused(-1, 0, true);
    static final Refused NOTHING = new Refused(-1, 0, false);
  }

  private Layout layout(
      Optional<String> existing,
      Set<String> attached,
      ManagedRevocations managed,
      RoleDenies denies,
      int usable) {
    RevocationPolicy.Base base = RevocationPolicy.base(existing, denies, clock.instant());
    List<DenyLayout.Slot> slotList = new ArrayList<>();
    slotList.add(
        new DenyLayout.Slot(
            base.policy(),
            inlineBudgets.getOrDefault(denies.roleArn(), RevocationPolicy.MAX_CHARS),
            existing.map(RevocationReadBack::held).orElse(Set.of())));
    List<Optional<String>> documents = new ArrayList<>();
    for (int n = 1; n <= usable; n++) {
      Optional<String> document =
          attached.contains(managed.arn(n)) ? managed.document(managed.arn(n)) : Optional.empty();
      documents.add(document);
      slotList.add(
          new DenyLayout.Slot(
              RevocationPolicy.managedBase(),
              RevocationPolicy.MAX_MANAGED_CHARS,
              document.map(RevocationReadBack::held).orElse(Set.of())));
    }
    DenyLayout.Placed placed = DenyLayout.place(slotList, RevocationPolicy.items(denies));
    return new Layout(base, existing, documents, placed);
  }

  /**
   * Writes what changed: the managed policies first (a deny moving out of the inline policy is in
   * its new place before it leaves the old one), then the inline policy, then stint's policies left
   * empty are removed. IAM's refusal of room makes the layout again with what IAM allows.
   */
  private Refused writeAll(
      IamClient iam,
      String roleArn,
      ManagedRevocations managed,
      Layout layout,
      Set<String> attached) {
    List<List<DenyItem>> bySlot = layout.placed().bySlot();
    ManagedRevocations.Slots slots = managed.writeAll(bySlot, layout.managed(), attached);
    if (slots.refused() > 0) {
      return new Refused(slots.refused(), 0, false);
    }
    boolean wrote = slots.wrote();
    String inline = RevocationPolicy.render(layout.base().policy(), bySlot.get(0));
    boolean nothing = RevocationPolicy.parse(inline).withArrayProperty("Statement").isEmpty();
    if (!nothing && !RevocationReadBack.unchanged(layout.inline(), inline)) {
      try {
        iam.putRolePolicy(
            b ->
                b.roleName(managed.roleName())
                    .policyName(RevocationPolicy.NAME)
                    .policyDocument(inline));
        wrote = true;
      } catch (LimitExceededException e) {
        // The role's other inline policies leave less room than IAM's limit: what the inline
        // policy already holds fits (IAM took it), anything more goes to the managed ones.
        int held = layout.inline().map(RevocationPolicy::characters).orElse(0);
        int fixed = RevocationPolicy.characters(layout.base().policy().toString());
        int tried = RevocationPolicy.characters(inline);
        return new Refused(0, Math.min(tried - 1, Math.max(held, fixed)), false);
      }
    }
    wrote |= managed.removeAllBut(attached, slots.used());
    return wrote ? Refused.WROTE : Refused.NOTHING;
  }

  /** Reads every document back: IAM must hold every deny, in one document or another. */
  private Optional<Written> readBack(
      IamClient iam, String roleName, ManagedRevocations managed, RoleDenies denies) {
    List<String> documents = new ArrayList<>();
    Optional<String> inline = read(iam, roleName);
    inline.ifPresent(documents::add);
    documents.addAll(managed.documents(slots == 0 ? Set.of() : managed.attached()));
    if (!RevocationReadBack.covers(documents, denies)) {
      return Optional.empty();
    }
    int characters = documents.stream().mapToInt(RevocationPolicy::characters).sum();
    LOG.info(
        "AWS revocation denies written on role {}: {} grants, {} people, cutoff {},"
            + " {} characters in {} policies",
        roleName,
        denies.grants().size(),
        denies.persons().size(),
        denies.cutoff().isPresent(),
        characters,
        documents.size());
    int earlier = RevocationPolicy.base(inline, denies, clock.instant()).earlierKept();
    return Optional.of(new Written.Applied(characters, earlier));
  }

  /**
   * The current inline document, decoded (IAM returns it URL-encoded); empty when there is none.
   */
  private static Optional<String> read(IamClient iam, String roleName) {
    try {
      String encoded =
          iam.getRolePolicy(b -> b.roleName(roleName).policyName(RevocationPolicy.NAME))
              .policyDocument();
      return Optional.of(URLDecoder.decode(encoded, StandardCharsets.UTF_8));
    } catch (NoSuchEntityException e) {
      return Optional.empty();
    }
  }
}
