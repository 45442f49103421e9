-- Whether the requester's identity provider said it verified the email the request records
-- (email_verified), when the request was filed: facts about a live grant's holder (end_when) are
-- asked with that email only if so. NULL for requests filed before this was recorded.
ALTER TABLE access_requests ADD COLUMN requester_email_verified boolean;
