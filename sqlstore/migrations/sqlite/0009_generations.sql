-- Generations and the latest observation of each station: see the
-- PostgreSQL migration of the same number. SQLite has no notifications; every
-- instance polls the generations table.
CREATE TABLE generations (
    name       TEXT PRIMARY KEY,
    generation INTEGER NOT NULL
);
INSERT INTO generations (name, generation) SELECT 'access', version FROM access_version WHERE id = 1;
INSERT INTO generations (name, generation) VALUES ('stations', 0), ('observations', 0), ('earthquakes', 0);
DROP TABLE access_version;

CREATE TABLE latest_observations (
    station_wmo    TEXT PRIMARY KEY,
    observed_at    TEXT NOT NULL,
    observation_id INTEGER NOT NULL
);
-- SQLite takes the bare columns of a MAX() aggregate from the row holding the maximum.
INSERT INTO latest_observations (station_wmo, observed_at, observation_id)
SELECT station_wmo, MAX(observed_at), id FROM observations WHERE NOT is_nil GROUP BY station_wmo;
