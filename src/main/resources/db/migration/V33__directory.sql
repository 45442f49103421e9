-- The directory an identity provider pushes over SCIM 2.0 (docs/directory.md): its users and
-- groups as the provider last described them. Each resource keeps the provider's whole document
-- (attributes, less id, meta and schemas, which stint sets) beside the columns it is found by.
-- Case-insensitive attributes (userName, emails, a group's displayName) are unique and searched by
-- lower(); externalId is case-exact, as RFC 7643 defines it.
CREATE TABLE directory_users (
    id text PRIMARY KEY,
    user_name text NOT NULL,
    external_id text,
    display_name text,
    active boolean NOT NULL,
    attributes jsonb NOT NULL,
    -- The person this user is, once matched (directory.DirectoryPeople): the issuer's URL and
    -- the subject, as people_seen and identity.Person name a person. Empty until a match is made.
    issuer text,
    subject text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version bigint NOT NULL
);
CREATE UNIQUE INDEX directory_users_user_name ON directory_users (lower(user_name));
CREATE INDEX directory_users_external_id ON directory_users (external_id);
CREATE INDEX directory_users_person ON directory_users (issuer, subject);

-- Each user's email addresses, lowercased, for filters and for matching people.
CREATE TABLE directory_user_emails (
    user_id text NOT NULL REFERENCES directory_users (id) ON DELETE CASCADE,
    address text NOT NULL,
    is_primary boolean NOT NULL,
    PRIMARY KEY (user_id, address)
);
CREATE INDEX directory_user_emails_address ON directory_user_emails (address);

CREATE TABLE directory_groups (
    id text PRIMARY KEY,
    display_name text NOT NULL,
    external_id text,
    attributes jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version bigint NOT NULL
);
CREATE UNIQUE INDEX directory_groups_display_name ON directory_groups (lower(display_name));
CREATE INDEX directory_groups_external_id ON directory_groups (external_id);

-- Members are users; a user or group deleted leaves no membership behind.
CREATE TABLE directory_members (
    group_id text NOT NULL REFERENCES directory_groups (id) ON DELETE CASCADE,
    user_id text NOT NULL REFERENCES directory_users (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX directory_members_user ON directory_members (user_id);
