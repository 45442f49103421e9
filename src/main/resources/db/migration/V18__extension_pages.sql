-- Extensions are listed newest first (created_at DESC, then id) and paged by a cursor on that
-- pair, like requests: an index in that order lets a page stop after its rows. Approvers' queues
-- read only the pending ones, a small part of the table once it has grown.
CREATE INDEX grant_extensions_recent ON grant_extensions (created_at DESC, id);
CREATE INDEX grant_extensions_pending_recent ON grant_extensions (created_at DESC, id)
    WHERE state = 'pending';
