-- A CI token mints once, whichever CI rule it meets: keyed by (rule, jti), a token spent under
-- one rule was accepted again under another, one token minting for two profiles. A jti names a
-- token within its issuer, so the key is (issuer, jti); rule stays, to record which rule spent it.
--
-- A token already spent under several rules keeps its first use, which refuses it under every
-- rule from now on.
--
-- Unlike V4 says, a row is kept past the token's expiry for as long as the verifier still accepts
-- the token (its clock skew): ReplayGuard.prune.
DELETE FROM ci_token_uses u
 USING ci_token_uses first
 WHERE first.issuer = u.issuer AND first.jti = u.jti
   AND (first.used_at, first.rule) < (u.used_at, u.rule);

ALTER TABLE ci_token_uses DROP CONSTRAINT ci_token_uses_pkey;
ALTER TABLE ci_token_uses ADD PRIMARY KEY (issuer, jti);
