/**
 * Credentials on the caller's machine: {@code credential_process} for the AWS CLI and SDKs, {@code
 * env}, the console link, and the cache that serves them again while they live, to the person they
 * were minted for only (files 0600).
 *
 * <p>A credential not cached is asked of the server, and a request is filed when none is held
 * ({@code RequestOnMiss}); a task lease's credentials are cached per lease, served only for the
 * token they were minted with.
 */
package dev.stint.cli.credentials;
