-- A CI token mints once, whichever CI rule it meets: keyed by (rule, jti), a token spent under
-- one rule was accepted again under another, one token minting for two profiles. A jti names a
-- token within its issuer, so the key is (issuer, jti); rule stays, to record which rule spent it.
--
-- A token already spent under several rules keeps its first use, which refuses it under every
-- rule from now on.
--
-- Unlike V4 says, a row is kept past the token's expiry for as long as the verifier still accepts
-- the token (its clock skew): ReplayGuard.prune.
-- The row kept remembers the token for as long as any of its rows did.
UPDATE ci_token_uses u SET expires_at = latest.expires_at
  FROM (SELECT issuer, jti, max(expires_at) AS expires_at FROM ci_token_uses
        GROUP BY issuer, jti HAVING count(*) > 1) latest
 WHERE u.issuer = latest.issuer AND u.jti = latest.jti;
DELETE FROM ci_token_uses u
 USING ci_token_uses first
 WHERE first.issuer = u.issuer AND first.jti = u.jti
   AND (first.used_at, first.rule) < (u.used_at, u.rule);

ALTER TABLE ci_token_uses DROP CONSTRAINT ci_token_uses_pkey;
ALTER TABLE ci_token_uses ADD PRIMARY KEY (issuer, jti);
