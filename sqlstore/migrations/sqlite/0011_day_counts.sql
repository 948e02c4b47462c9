-- Reports and events per UTC day: see the PostgreSQL migration of the same
-- number. Days are stored as the store writes times (fixed-width UTC text).
CREATE TABLE day_counts (
    kind TEXT NOT NULL,
    key  TEXT NOT NULL,
    day  TEXT NOT NULL,
    n    INTEGER NOT NULL,
    PRIMARY KEY (kind, key, day)
);
INSERT INTO day_counts (kind, key, day, n)
SELECT 'observations', station_wmo, substr(observed_at, 1, 10) || 'T00:00:00.000000Z', COUNT(*) FROM observations GROUP BY 2, 3;
INSERT INTO day_counts (kind, key, day, n)
SELECT 'observations_nil', station_wmo, substr(observed_at, 1, 10) || 'T00:00:00.000000Z', COUNT(*) FROM observations WHERE is_nil GROUP BY 2, 3;
INSERT INTO day_counts (kind, key, day, n)
SELECT kind, '*', day, SUM(n) FROM day_counts GROUP BY kind, day;
INSERT INTO day_counts (kind, key, day, n)
SELECT 'earthquakes', '*', substr(origin_time, 1, 10) || 'T00:00:00.000000Z', COUNT(*) FROM earthquakes GROUP BY 3;

CREATE INDEX earthquakes_depth ON earthquakes (depth_km, id);
