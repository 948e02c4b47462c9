-- Stations, merged from every catalogue that lists them.
CREATE TABLE stations (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    wmo_index      TEXT UNIQUE,
    name           TEXT NOT NULL,
    kinds          TEXT NOT NULL,          -- ",SYNOPTIC,CLIMATE," so a kind matches with LIKE
    latitude       DOUBLE PRECISION NOT NULL,
    longitude      DOUBLE PRECISION NOT NULL,
    elevation_m    DOUBLE PRECISION,
    region         TEXT NOT NULL DEFAULT '',
    country        TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    operating_from TEXT,
    operating_to   TEXT,
    sources        TEXT NOT NULL,          -- ",noaa-isd,wmo-synop-directory,"
    search_text    TEXT NOT NULL,          -- lower-cased name and identifiers
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX stations_name ON stations (name, id);
CREATE INDEX stations_position ON stations (latitude, longitude);

-- Every code a station is known under; a code belongs to one station.
CREATE TABLE station_identifiers (
    scheme     TEXT NOT NULL,
    value      TEXT NOT NULL,
    station_id INTEGER NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
    PRIMARY KEY (scheme, value)
);
CREATE INDEX station_identifiers_station ON station_identifiers (station_id);

-- Every catalogue row as the catalogue states it: provenance, and the
-- station's history (seismic sensors listed again after a move).
CREATE TABLE station_records (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    station_id  INTEGER NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
    source      TEXT NOT NULL,
    source_key  TEXT NOT NULL,
    record      TEXT NOT NULL,            -- the StationRecord as JSON
    starts_at   TEXT,
    updated_at  TEXT NOT NULL,
    UNIQUE (source, source_key)
);
CREATE INDEX station_records_station ON station_records (station_id, starts_at);

-- SYNOP reports: Level 1 (heading, text) and Level 2 (values_json).
CREATE TABLE observations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    station_wmo   TEXT NOT NULL,
    observed_at   TEXT NOT NULL,
    ttaaii        TEXT NOT NULL,
    cccc          TEXT NOT NULL,
    yygggg        TEXT NOT NULL,
    bbb           TEXT NOT NULL DEFAULT '',
    report_text   TEXT NOT NULL,
    is_nil        BOOLEAN NOT NULL,
    values_json   TEXT,
    problems_json TEXT NOT NULL,
    source        TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (station_wmo, observed_at)
);
CREATE INDEX observations_time ON observations (observed_at, id);

CREATE TABLE earthquakes (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id          TEXT UNIQUE,
    origin_time       TEXT NOT NULL,
    latitude          DOUBLE PRECISION NOT NULL,
    longitude         DOUBLE PRECISION NOT NULL,
    depth_km          DOUBLE PRECISION,
    magnitude         DOUBLE PRECISION,
    magnitude_type    TEXT NOT NULL DEFAULT '',
    region            TEXT NOT NULL DEFAULT '',
    tsunami_potential TEXT NOT NULL DEFAULT '',
    felt_text         TEXT NOT NULL DEFAULT '',
    felt_json         TEXT NOT NULL DEFAULT '[]',
    shakemap          TEXT NOT NULL DEFAULT '',
    evaluation_status TEXT NOT NULL DEFAULT '',
    solution_feed     TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX earthquakes_time ON earthquakes (origin_time, id);
CREATE INDEX earthquakes_magnitude ON earthquakes (magnitude, id);
CREATE INDEX earthquakes_position ON earthquakes (latitude, longitude);

-- Each feed's report of an event, as last received: the event's values are
-- rebuilt from them (mkg.Earthquake.Rebuild).
CREATE TABLE earthquake_sources (
    earthquake_id   INTEGER NOT NULL REFERENCES earthquakes (id) ON DELETE CASCADE,
    feed            TEXT NOT NULL,
    source_event_id TEXT NOT NULL DEFAULT '',
    report          TEXT NOT NULL,
    first_seen_at   TEXT NOT NULL,
    last_seen_at    TEXT NOT NULL,
    PRIMARY KEY (earthquake_id, feed, source_event_id)
);
CREATE INDEX earthquake_sources_event ON earthquake_sources (feed, source_event_id);
