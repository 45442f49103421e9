-- Matching a directory user to a person, exactly (docs/directory.md, "People"; issue 51).
--
-- 1. people_seen.email was lower-cased with Unicode's case rules, which turn some letters of other
--    scripts into ASCII ones (KELVIN SIGN, U+212A, into "k"): a person whose issuer verified
--    "\u212Aelly@..." was kept as "kelly@..." and matched kelly's directory user. An address is
--    now kept with its ASCII letters in lower case and nothing else changed, and not at all when
--    it has any character outside printable ASCII (identity.Emails: such an address is never
--    matched by email). Recomputed from the verified claims each row keeps.
--
-- 2. Each person seen keeps the claim a directory user's externalId is compared with
--    (directory.match_claim: sub by default, oid for Entra ID) and its value as last verified,
--    so that the match is an indexed equality whatever the claim. Rows from before are the sub's.
ALTER TABLE people_seen ADD COLUMN match_claim text, ADD COLUMN match_id text;

UPDATE people_seen
   SET email = CASE
         WHEN email IS NOT NULL AND principal->'claims'->>'email' ~ '^[!-?A-~]+@[!-?A-~]+$'
         THEN lower(principal->'claims'->>'email' COLLATE "C")
       END,
       match_claim = 'sub',
       match_id = subject;

CREATE INDEX people_seen_match ON people_seen (issuer, match_id) WHERE match_id IS NOT NULL;

-- A deprovisioning mark keeps the value a user names the marked person by (their match_id when
-- marked), so that only a user naming them by it, or the user that made the mark, lifts it.
ALTER TABLE directory_deprovisioned ADD COLUMN match_id text;
UPDATE directory_deprovisioned SET match_id = subject;

-- 3. A user matched by email (before this migration a user was matched by sub, its externalId
--    being its person's subject, or else by email) whose match could only have come from folding
--    an address that is not plain ASCII, on either side, is matched to nobody again: the person's
--    verified address has such a character, or every address of the user's does. It is matched
--    afresh, by the rules now in force, at its next write or when its person is next seen (before
--    their next call is admitted). A deprovisioning mark such a match made stays: only the
--    directory lifts a mark (docs/directory.md, "Leaving").
UPDATE directory_users u
   SET issuer = NULL, subject = NULL
  FROM people_seen p
 WHERE p.issuer = u.issuer
   AND p.subject = u.subject
   AND u.external_id IS DISTINCT FROM u.subject
   AND (
         p.principal->'claims'->>'email' !~ '^[!-?A-~]+@[!-?A-~]+$'
         OR (
              u.user_name !~ '^[!-?A-~]+@[!-?A-~]+$'
              AND NOT EXISTS (
                    SELECT 1
                      FROM jsonb_array_elements(
                             CASE WHEN jsonb_typeof(u.attributes->'emails') = 'array'
                                  THEN u.attributes->'emails' ELSE '[]'::jsonb END) e
                     WHERE e->>'value' ~ '^[!-?A-~]+@[!-?A-~]+$')
            )
       );
