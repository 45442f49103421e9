package dev.stint.mint;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * How a cloud tells what one of its credentials did: its own log of API calls, looked up by the
 * credential's key, one page at a time, place by place (for AWS, CloudTrail's event history of each
 * region; for Azure, the Activity Log of each subscription). A lookup the cloud refuses or
 * throttles past its retries fails the future; the caller asks again later, so no credential is
 * ever dropped.
 */
public interface ActivityLookup {
  /** The places (AWS regions, Azure subscriptions) whose logs are looked up, each separately. */
  List<String> places();

  CompletableFuture<Page> lookup(Query query);

  /**
   * Calls made with the credential {@code accessKeyId} names in its cloud's log (an AWS access key
   * id; an Entra token's {@code uti}; {@link By#USER_NAME}: the user name an Identity Center
   * grant's portal sessions are named after), logged in {@code place} between the two instants.
   * {@code target} is what the credential was minted on, as the ledger recorded it (for AWS, the
   * role ARN; for portal sessions, the permission set's provisioned role): its logs are those of
   * the target's account, not of stint's own.
   */
  record Query(
      String accessKeyId,
      String target,
      String place,
      Instant from,
      Instant to,
      Optional<String> nextToken,
      By by) {

    public Query {
      Objects.requireNonNull(by, "by");
    }

    /** By the credential's key. */
    public Query(
        String accessKeyId,
        String target,
        String place,
        Instant from,
        Instant to,
        Optional<String> nextToken) {
      this(accessKeyId, target, place, from, to, nextToken, By.KEY);
    }

    /** The same query from {@code token}, the page before's next. */
    public Query next(Optional<String> token) {
      return new Query(accessKeyId, target, place, from, to, token, by);
    }
  }

  /**
   * What a query names: a credential's key, or (CloudTrail's {@code Username}) the name of the
   * sessions the cloud issued a person itself, whatever their key: the log answers every session of
   * that name in the account, and the caller keeps only those of the grant's role and window.
   */
  enum By {
    KEY,
    USER_NAME
  }

  /** Some of the calls, newest first, and where the next page starts. */
  record Page(List<Call> calls, Optional<String> nextToken) {
    public Page {
      calls = List.copyOf(calls);
    }
  }

  /**
   * One logged call: the log's own id for it (the same call read twice is the same), when, which
   * service and operation, where, from which address, the error if it failed, the key it was signed
   * with; for a role assumption, the role assumed and the source identity it carries (the one asked
   * for, else the caller's, which AWS carries over); who called (their ARN) and the source identity
   * of the caller's own session; and, for a role assumption, the access key of the session it
   * created, which tells stint's own assumptions from others' (a source identity can be copied);
   * the account whose log holds it (CloudTrail's {@code recipientAccountId}), and whether it is a
   * data event (an S3 object read, a DynamoDB item call, …), which CloudTrail's event history never
   * holds: only a trail logs them, and only the push brings them to stint; and what of the
   * request's parameters says what the call handed over or read ({@link Parameters}).
   */
  record Call(
      String id,
      Instant time,
      String source,
      String name,
      String region,
      Optional<String> sourceIp,
      Optional<String> errorCode,
      Optional<String> accessKeyId,
      Optional<String> assumedRole,
      Optional<String> sourceIdentity,
      Optional<String> callerArn,
      Optional<String> callerSourceIdentity,
      Optional<String> mintedKey,
      Optional<String> federatedUser,
      Optional<String> account,
      boolean dataEvent,
      Parameters parameters) {

    public Call {
      Objects.requireNonNull(parameters, "parameters");
    }
  }

  /**
   * What a call's request parameters say beyond its name: the role (or instance profile) it names
   * under a key a create uses to hand one to a service ({@code iamInstanceProfile}, {@code role},
   * {@code roleArn}, {@code taskRoleArn}, ...: on {@code ec2:RunInstances} or {@code
   * lambda:CreateFunction} that is {@code iam:PassRole}, which CloudTrail never logs as a call of
   * its own), and whether it asked for a decrypted value ({@code withDecryption}, as SSM's
   * parameter reads do), and the resource it acted on where the record names it, as an IAM resource
   * pattern ({@code resource}: an S3 bucket, or its objects under the key's first segment; a
   * DynamoDB table; a Lambda function), which is what right-sizing a profile needs. {@link #NONE}
   * for a log that does not say.
   */
  record Parameters(Optional<String> namedRole, boolean withDecryption, Optional<String> resource) {
    public static final Parameters NONE = new Parameters(Optional.empty(), false, Optional.empty());

    public Parameters {
      Objects.requireNonNull(namedRole, "namedRole");
      Objects.requireNonNull(resource, "resource");
    }

    /** What a log says without naming the resource. */
    public Parameters(Optional<String> namedRole, boolean withDecryption) {
      this(namedRole, withDecryption, Optional.empty());
    }
  }
}
