-- Placeholder for migration 006, which another branch adds (the change
-- log). tern refuses gaps in the numbering, so this branch's 007 needs a 006
-- to apply. Delete this file when the real 006 is merged.
SELECT 1;
