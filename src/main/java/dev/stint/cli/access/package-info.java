/**
 * {@code stint request}, {@code requests}, {@code show}, {@code profiles}, {@code extend}, {@code
 * extensions}, {@code activity} and the decisions (approve, deny, cancel, revoke, review):
 * requests, grants and their extensions from the command line.
 *
 * <p>A revoke asks at the keyboard first, unless told not to; what is printed comes from the
 * server's answers, each value sanitized for the terminal.
 */
package dev.stint.cli.access;
