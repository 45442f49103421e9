package dev.stint.app;

import dev.stint.cli.CliEnvironment;

/**
 * A command of the development build alone (src/dev, target/stint-dev.jar): {@code stint demo}.
 * {@link Main} finds it through {@link java.util.ServiceLoader} only when it is asked for, so no
 * class of the server names the development code, and the server's jar, with every package made
 * from it, holds none of it.
 */
public interface DevelopmentCommand {
  /** The word that runs it on the command line. */
  String name();

  /** A fresh command object for picocli, writing to {@code env}'s streams. */
  Object create(CliEnvironment env);
}
