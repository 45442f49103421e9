-- The CI rule that opened a request (approval: required), or NULL for a person's request. A
-- grant opened under a CI rule is usable only through /v1/exchange, by a token that matches the
-- same rule again; people's endpoints never find it.
ALTER TABLE access_requests ADD COLUMN ci_rule text;
