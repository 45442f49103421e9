/**
 * The {@code stint} command line: it talks to the server over HTTP only (and reads audit
 * checkpoints where they are kept, checking their signatures).
 *
 * <p>This package is its core: the command table and dispatch, the HTTP client, errors, output and
 * the environment a command may use ({@code CliEnvironment}). Each task is a sub-package: {@code
 * credentials} (credential_process, env, console, the cache), {@code ci} (exchange), {@code login},
 * {@code access} (requests, votes, grants), {@code lease} (task leases), {@code review} (access
 * reviews), {@code finding} (findings), {@code setup}, {@code policy}, {@code audit}, {@code admin}
 * and {@code completion}.
 */
package dev.stint.cli;
