-- The CI rule that opened a request (approval: required), or NULL for a person's request. A
-- grant opened under a CI rule is usable only through /v1/exchange, by a token that matches the
-- same rule again; people's endpoints never find it.
ALTER TABLE access_requests ADD COLUMN ci_rule text;

-- Requests CI jobs opened before this column existed carry their rule only in the reason stint
-- wrote for them ("CI rule 'NAME' for SUBJECT"): bind them to it, so that their grants too are
-- usable only through the exchange by a token that matches the rule.
UPDATE access_requests
   SET ci_rule = substring(reason FROM '^CI rule ''([a-z0-9][a-z0-9_-]*)'' for ')
 WHERE reason ~ '^CI rule ''[a-z0-9][a-z0-9_-]*'' for ';
