-- File-backed data: radar scans and satellite products, catalogued from
-- their contents or names; the contents live in the file store, named by
-- their SHA-256 digest. A catalogue row is written after its file is
-- stored, so a failed write leaves the file (found again by a retry), never
-- a row without its file.
CREATE TABLE radar_sites (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    code           TEXT NOT NULL UNIQUE,     -- as the files state it (sensor id, radarName)
    name           TEXT NOT NULL DEFAULT '',
    latitude       REAL NOT NULL,
    longitude      REAL NOT NULL,
    altitude_m     REAL NOT NULL,
    band           TEXT NOT NULL DEFAULT '', -- S, C or X from the wavelength
    beam_width_deg REAL,
    wavelength_m   REAL
);

CREATE TABLE radar_scans (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id            INTEGER REFERENCES radar_sites (id),
    start_time         TEXT,
    end_time           TEXT,
    scan_type          TEXT NOT NULL DEFAULT '',
    sweeps             TEXT NOT NULL DEFAULT '[]',  -- JSON []mkg.RadarSweep
    format             TEXT NOT NULL,               -- mkg.RadarFormat
    metadata           INTEGER NOT NULL,
    problem            TEXT NOT NULL DEFAULT '',
    file_digest        TEXT NOT NULL UNIQUE,
    file_size          BIGINT NOT NULL,
    file_type          TEXT NOT NULL,
    file_name          TEXT NOT NULL,
    quicklook_digest   TEXT,
    quicklook_size     BIGINT,
    ingested_at        TEXT NOT NULL,
    -- The list order: the scan's start, or when it was ingested for a file
    -- whose time could not be read.
    listed_at          TEXT NOT NULL
);
CREATE INDEX radar_scans_time ON radar_scans (listed_at, id);
CREATE INDEX radar_scans_site ON radar_scans (site_id, listed_at, id);

CREATE TABLE satellite_products (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    satellite      TEXT NOT NULL,
    sensor         TEXT NOT NULL,
    band           INTEGER NOT NULL,
    wavelength_um  REAL NOT NULL,
    product        TEXT NOT NULL,
    area           TEXT NOT NULL,
    start_time     TEXT NOT NULL,
    resolution_km  REAL NOT NULL,
    segment        INTEGER NOT NULL,
    segments       INTEGER NOT NULL,
    format         TEXT NOT NULL,
    file_digest    TEXT NOT NULL UNIQUE,
    file_size      BIGINT NOT NULL,
    file_type      TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    ingested_at    TEXT NOT NULL
);
CREATE INDEX satellite_products_time ON satellite_products (start_time, id);
