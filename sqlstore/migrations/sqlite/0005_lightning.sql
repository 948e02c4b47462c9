-- Lightning strikes: the high-volume kind. Times are Unix milliseconds
-- (the precision networks report). One strike per network, time and
-- position: re-ingesting a file changes nothing. The (time, latitude,
-- longitude) index serves a time window with a box from the index alone.
CREATE TABLE lightning_strikes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    time_ms         BIGINT NOT NULL,
    latitude        REAL NOT NULL,
    longitude       REAL NOT NULL,
    type            TEXT NOT NULL DEFAULT '',   -- CG, IC or unknown
    polarity        INTEGER NOT NULL DEFAULT 0,
    peak_current_ka REAL,
    energy_j        REAL,
    area_km2        REAL,
    network         TEXT NOT NULL,
    UNIQUE (network, time_ms, latitude, longitude)
);
CREATE INDEX lightning_time_box ON lightning_strikes (time_ms, latitude, longitude);
