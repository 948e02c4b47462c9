-- Strong-motion records (peak values per component or ShakeMap station) and
-- ShakeMap grids. A record is keyed by source, channel, component, start
-- and earthquake, so re-ingesting a file changes nothing.
CREATE TABLE ground_motions (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    record_key         TEXT NOT NULL UNIQUE,
    network            TEXT NOT NULL DEFAULT '',
    station            TEXT NOT NULL,
    location           TEXT NOT NULL DEFAULT '',
    channel            TEXT NOT NULL DEFAULT '',
    component          TEXT NOT NULL DEFAULT '',
    station_name       TEXT NOT NULL DEFAULT '',
    station_latitude   REAL,
    station_longitude  REAL,
    start_time         TEXT,
    sample_rate_hz     REAL,
    pga_gal            REAL NOT NULL,
    pgv_cms            REAL,
    intensity          REAL,
    intensity_stated   INTEGER NOT NULL DEFAULT 0,
    distance_km        REAL,
    earthquake_id      INTEGER REFERENCES earthquakes (id),
    station_id         INTEGER REFERENCES stations (id),  -- the catalogue station, for accelerograms
    source             TEXT NOT NULL
);
CREATE INDEX ground_motions_earthquake ON ground_motions (earthquake_id, pga_gal DESC);
CREATE INDEX ground_motions_station ON ground_motions (station, pga_gal DESC);

CREATE TABLE shakemap_grids (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id      TEXT NOT NULL UNIQUE,
    earthquake_id INTEGER REFERENCES earthquakes (id),
    spec          TEXT NOT NULL,    -- JSON: box, nlon, nlat, fields, units, south_first
    grid_values   BLOB NOT NULL,   -- float32 little-endian, as in the file
    stored_at     TEXT NOT NULL
);
CREATE INDEX shakemap_grids_earthquake ON shakemap_grids (earthquake_id);
