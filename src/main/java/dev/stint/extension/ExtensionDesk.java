package dev.stint.extension;

import dev.stint.access.AccessRequest;
import dev.stint.access.Action;
import dev.stint.access.Caller;
import dev.stint.identity.Principal;
import dev.stint.policy.RequestRights;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The people's ports to extensions, the routes' and pages' ({@link Extensions}) and a chat's
 * messages' ({@link ExtensionMessages}), over the same use cases: asking ({@link ExtensionAsking}),
 * deciding ({@link ExtensionDeciding}) and reading ({@link ExtensionReading}).
 */
final class ExtensionDesk implements Extensions, ExtensionMessages {
  private final ExtensionAsking asking;
  private final ExtensionDeciding deciding;
  private final ExtensionReading reading;
  private final ExtensionStore store;

  ExtensionDesk(
      ExtensionAsking asking,
      ExtensionDeciding deciding,
      ExtensionReading reading,
      ExtensionStore store) {
    this.asking = asking;
    this.deciding = deciding;
    this.reading = reading;
    this.store = store;
  }

  @Override
  public Future<Extended> extend(Caller caller, String requestId, Duration by, String reason) {
    return asking.extend(caller, requestId, by, reason);
  }

  @Override
  public Future<Extended> decide(
      Caller caller, String extensionId, Action action, Optional<String> comment) {
    return deciding.decide(caller, extensionId, action, comment);
  }

  @Override
  public Future<ExtendedPage> list(
      Caller caller, boolean pendingOnly, int limit, Optional<ExtensionCursor> after) {
    return reading.list(caller, pendingOnly, limit, after);
  }

  @Override
  public Future<List<WaitingExtension>> waiting(Caller caller, int limit) {
    return reading.waiting(caller, limit);
  }

  @Override
  public Future<List<Extension>> ofRequest(Caller caller, AccessRequest request) {
    return reading.ofRequest(caller, request);
  }

  @Override
  public Future<Optional<ExtensionSeen>> find(String extensionId) {
    return store.withRequest(extensionId);
  }

  @Override
  public Future<Extended> decide(Caller caller, String extensionId, Action action) {
    return deciding.decide(caller, extensionId, action, Optional.empty());
  }

  @Override
  public boolean mayDecide(Caller caller, AccessRequest request, Extension e) {
    return reading.mayDecide(caller, request, e);
  }

  @Override
  public boolean couldApprove(Principal p, AccessRequest request, Extension e) {
    return reading.couldApprove(p, request, e);
  }

  @Override
  public RequestRights rights(Caller caller, AccessRequest request) {
    return reading.rights(caller, request);
  }

  @Override
  public RequestRights rights(Caller caller, AccessRequest request, Extension e) {
    return reading.rights(caller, request, e);
  }
}
