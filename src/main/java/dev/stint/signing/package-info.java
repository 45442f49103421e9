/**
 * stint's own keys: the issuer keys and the {@code TokenSigner} for federation JWTs, and the audit
 * checkpoints' keys ({@code CheckpointKeyring}), never a federation key.
 */
package dev.stint.signing;
