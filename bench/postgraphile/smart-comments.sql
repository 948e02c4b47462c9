-- PostGraphile smart comments for the load benchmark: table and column
-- comments only (no constraint, no data, nothing MKG Graph reads), applied
-- once to the benchmark database:
--
--   psql "$DATABASE_URL" -f bench/postgraphile/smart-comments.sql
--
-- PostGraphile builds relations from foreign keys; observations name their
-- station by WMO index (observations.station_wmo -> stations.wmo_index,
-- which is UNIQUE) without a declared key, so the relation is declared here.
-- On PostgreSQL observations may be a partitioned table; the comment is on
-- the parent, which is what PostGraphile exposes.
COMMENT ON TABLE observations IS E'@foreignKey (station_wmo) references stations (wmo_index)';

-- PostGraphile v5 offers `condition` only on indexed columns by default; the
-- dashboard filters stations by kind and observations by is_nil, neither
-- indexed on its own.
COMMENT ON COLUMN stations.kinds IS E'@behavior +filterBy';
COMMENT ON COLUMN observations.is_nil IS E'@behavior +filterBy';
