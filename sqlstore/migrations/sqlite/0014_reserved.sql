-- Reserved: migration 0014 is another branch's (issue 14). This file keeps
-- this branch's numbering whole until the merge, which replaces it.
SELECT 1;
