package dev.stint.directory;

import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A refusal in SCIM's terms (RFC 7644, section 3.12): the HTTP status, the {@code scimType} where
 * the RFC names one, and a detail safe to show the provider. Nothing has changed when one is
 * thrown.
 */
public final class ScimException extends RuntimeException {
  private final int status;
  private final String scimType;

  private ScimException(int status, String scimType, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.scimType = scimType;
  }

  public int status() {
    return status;
  }

  public Optional<String> scimType() {
    return Optional.ofNullable(scimType);
  }

  public String detail() {
    return getMessage();
  }

  /** {@code work}, with a refusal it throws as a failed future. */
  static <T> Future<T> attempt(Supplier<Future<T>> work) {
    try {
      return work.get();
    } catch (ScimException e) {
      return Future.failedFuture(e);
    }
  }

  static ScimException invalidFilter(String detail) {
    return new ScimException(400, "invalidFilter", detail);
  }

  static ScimException invalidValue(String detail) {
    return new ScimException(400, "invalidValue", detail);
  }

  public static ScimException invalidSyntax(String detail) {
    return new ScimException(400, "invalidSyntax", detail);
  }

  static ScimException invalidPath(String detail) {
    return new ScimException(400, "invalidPath", detail);
  }

  static ScimException noTarget(String detail) {
    return new ScimException(400, "noTarget", detail);
  }

  static ScimException mutability(String detail) {
    return new ScimException(400, "mutability", detail);
  }

  static ScimException uniqueness(String detail) {
    return new ScimException(409, "uniqueness", detail);
  }

  static ScimException notFound(String detail) {
    return new ScimException(404, null, detail);
  }

  static ScimException preconditionFailed(String detail) {
    return new ScimException(412, null, detail);
  }

  /** A refusal with a status and no {@code scimType}: 401, 404, 413, 415 and the like. */
  public static ScimException status(int status, String detail) {
    return new ScimException(status, null, detail);
  }
}
