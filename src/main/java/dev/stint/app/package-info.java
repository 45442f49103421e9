/**
 * The server's entry point ({@code Main}, {@code serve}): everything wired by constructors, and
 * started and stopped in order.
 *
 * <p>{@code Server.boot()} is a list of named stages, each returning what the next need;
 * docs/design.md ("Start and stop order") lists them. Development commands ({@code stint demo}) are
 * found through {@code DevelopmentCommand}, a {@code ServiceLoader}, only when asked for.
 */
package dev.stint.app;
