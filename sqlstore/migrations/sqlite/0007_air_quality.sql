-- Air quality. Level 1 is every value as received (an operator's ISPU
-- sub-index, a US-EPA AQI value or a concentration, said by kind); the
-- days keep the index, critical pollutant and category the operator
-- reported beside the ones this server computed (Level 2).
CREATE TABLE aq_stations (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    code      TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL DEFAULT '',
    latitude  REAL,
    longitude REAL,
    operator  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE aq_measurements (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    station_code TEXT NOT NULL,
    day          TEXT NOT NULL,
    pollutant    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    value        REAL NOT NULL,
    unit         TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL,
    UNIQUE (station_code, day, pollutant, kind)
);

CREATE TABLE aq_days (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    station_code      TEXT NOT NULL,
    day               TEXT NOT NULL,
    reported_ispu     INTEGER,
    reported_critical TEXT NOT NULL DEFAULT '',
    reported_category TEXT NOT NULL DEFAULT '',
    notes             TEXT NOT NULL DEFAULT '[]',
    ispu              INTEGER,
    critical          TEXT NOT NULL DEFAULT '',
    category          TEXT NOT NULL DEFAULT '',
    table_name        TEXT NOT NULL DEFAULT '',
    UNIQUE (station_code, day)
);
