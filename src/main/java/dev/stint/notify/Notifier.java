package dev.stint.notify;

/**
 * Tells people about requests. Implementations return at once and deliver in the background: a slow
 * or failing receiver never blocks or fails the request that caused the notification.
 */
public interface Notifier {
  void send(Notification notification);

  /** For deployments without any notify target. */
  Notifier NONE = n -> {};
}
