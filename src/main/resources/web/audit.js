// live audit stream: filled in with the audit page
