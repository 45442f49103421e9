/**
 * Small leaf types every layer shares: durations, source networks, fingerprints, URL checks, secret
 * shapes, the UTC timestamps SQL parameters take, and whether a port is taken.
 *
 * <p>A narrowed profile's template and its filling ({@code DocumentTemplate}, {@code
 * ParameterPatterns}, {@code ParameterValues}, {@code FilledDocument}): values are placed into JSON
 * string values by the JSON writer, never spliced. Whether one set of AWS session-policy statements
 * allows nothing another does not, proven statement by statement ({@code AwsPolicyContainment}).
 */
package dev.stint.common;
