package dev.stint.log;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The request id of the HTTP request being served, carried on the request's duplicated Vert.x
 * context so that every log line written while serving it, on whatever callback, carries it too.
 *
 * <p>Uses {@code ContextInternal.localContextData()}: a thread-local or MDC would be wrong here,
 * because one event-loop thread interleaves callbacks of many requests.
 */
public final class RequestIds {
  private static final String KEY = "stint.request_id";
  // A caller-supplied id is echoed in logs and responses, so it is held to a safe shape.
  private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:-]{8,64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private RequestIds() {}

  /** The id of the request served on the current context, if any. */
  public static Optional<String> current() {
    Context ctx = Vertx.currentContext();
    if (ctx instanceof ContextInternal internal && internal.isDuplicate()) {
      Object id = internal.localContextData().get(KEY);
      return Optional.ofNullable((String) id);
    }
    return Optional.empty();
  }

  /** Binds an id to the current (duplicated) context; a no-op outside one. */
  public static void bind(String id) {
    Context ctx = Vertx.currentContext();
    if (ctx instanceof ContextInternal internal && internal.isDuplicate()) {
      internal.localContextData().put(KEY, id);
    }
  }

  /** The caller's id when it is well-formed, otherwise a fresh random one. */
  public static String acceptOrCreate(String fromCaller) {
    if (fromCaller != null && ACCEPTABLE.matcher(fromCaller).matches()) {
      return fromCaller;
    }
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
