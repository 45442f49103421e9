/**
 * Google Cloud: access tokens from workload identity federation and service account impersonation,
 * optionally downscoped by the profile's access boundary ({@code GcpMinter}). The only package that
 * imports Google's auth library.
 */
package dev.stint.mint.gcp;
