/**
 * The validated server configuration, read from a YAML file and the environment.
 *
 * <p>{@code ConfigKeys.ALL} lists every key ({@code ConfigKey}); each key and its default are
 * defined once, in {@code ConfigKeys} or beside its area's rules in a {@code *Keys} class. Every
 * problem is reported at once, and the server does not start with one.
 */
package dev.stint.config;
