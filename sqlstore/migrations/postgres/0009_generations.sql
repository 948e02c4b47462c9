-- Generations: one counter per namespace of derived data (cached reads,
-- resolved keys). A write that changes a namespace's data advances its
-- generation in the same transaction and notifies the channel
-- mkg_generations; every instance keeps the current generations in memory
-- (refreshed on notification and polled every second) and keys its cached
-- entries by them, so an entry written before a change is never read after
-- it, whether or not the shared cache heard of the change. 'access' replaces
-- the one-row access_version table.
CREATE TABLE generations (
    name       TEXT PRIMARY KEY,
    generation BIGINT NOT NULL
);
INSERT INTO generations (name, generation) SELECT 'access', version FROM access_version WHERE id = 1;
INSERT INTO generations (name, generation) VALUES ('stations', 0), ('observations', 0), ('earthquakes', 0);
DROP TABLE access_version;

-- The latest non-NIL observation of each station, kept by the observation
-- writer in the transaction that stores the observation, so that "each
-- station with its latest observation" is one primary-key lookup per station
-- however many years of reports the observations table holds.
CREATE TABLE latest_observations (
    station_wmo    TEXT PRIMARY KEY,
    observed_at    TIMESTAMPTZ NOT NULL,
    observation_id BIGINT NOT NULL
);
INSERT INTO latest_observations (station_wmo, observed_at, observation_id)
SELECT DISTINCT ON (station_wmo) station_wmo, observed_at, id
FROM observations WHERE NOT is_nil ORDER BY station_wmo, observed_at DESC, id DESC;
