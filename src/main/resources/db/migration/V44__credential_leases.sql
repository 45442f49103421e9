-- Task leases (issue 55): each credential minted on a lease names it, so a lease's revocation marks
-- its credentials alone, and its activity and record list only what it was handed.
ALTER TABLE credentials ADD COLUMN lease_id text REFERENCES leases (id);
CREATE INDEX credentials_lease ON credentials (lease_id) WHERE lease_id IS NOT NULL;
