-- #15 part 5 review: a key's stored scopes follow its latest KeyScopeUsage record (replaced, not merged), so what one
-- key holds is bounded by the record (KeyScopeUsage.MAX_SCOPES) and a scope the topology dropped leaves the report.
-- newest_day is the latest day the stored record speaks of: a copy with an older one is an older record (a replay or
-- a copy out of order) and changes nothing. NULL for rows stored before: the next record replaces them.
ALTER TABLE key_scope_observations ADD COLUMN newest_day date;
