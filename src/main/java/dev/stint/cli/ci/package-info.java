/**
 * {@code stint exchange}: a CI job's OIDC token exchanged for a cloud credential, and the CI
 * systems' tokens and environment files it reads and writes (GitHub Actions among them).
 */
package dev.stint.cli.ci;
