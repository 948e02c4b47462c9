-- PLACEHOLDER of the edge branch: lets this branch migrate alone (1..n).
-- Drop this file when merging; 0011 belongs to another branch.
SELECT 1;
