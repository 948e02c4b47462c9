-- How many reports and events each UTC day holds (observations per station
-- and for all stations, NIL reports apart; earthquake events), kept by the
-- writers in the transaction of the write. Counting a year of observations
-- then sums a few hundred rows instead of reading two million; only the
-- partial days at a window's edges are counted from the data, through the
-- time index.
CREATE TABLE day_counts (
    kind TEXT NOT NULL,          -- observations, observations_nil, earthquakes
    key  TEXT NOT NULL,          -- a station's WMO index, or '*' for all
    day  TIMESTAMPTZ NOT NULL,   -- 00:00 UTC
    n    BIGINT NOT NULL,
    PRIMARY KEY (kind, key, day)
);
INSERT INTO day_counts (kind, key, day, n)
SELECT 'observations', station_wmo, date_trunc('day', observed_at, 'UTC'), COUNT(*) FROM observations GROUP BY 2, 3;
INSERT INTO day_counts (kind, key, day, n)
SELECT 'observations_nil', station_wmo, date_trunc('day', observed_at, 'UTC'), COUNT(*) FROM observations WHERE is_nil GROUP BY 2, 3;
INSERT INTO day_counts (kind, key, day, n)
SELECT kind, '*', day, SUM(n) FROM day_counts GROUP BY kind, day;
INSERT INTO day_counts (kind, key, day, n)
SELECT 'earthquakes', '*', date_trunc('day', origin_time, 'UTC'), COUNT(*) FROM earthquakes GROUP BY 3;

-- Earthquakes filtered by depth alone.
CREATE INDEX earthquakes_depth ON earthquakes (depth_km, id);
