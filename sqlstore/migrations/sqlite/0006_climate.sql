-- Daily climate records (Level 1, as the agency's Data Online exports
-- them): one row per station and calendar date (YYYY-MM-DD text, no time
-- zone), the parameters as JSON {"Tn":{"v":24.1},"RR":{"f":"NOT_MEASURABLE"}}
-- so the codes 8888/9999 stay flags, never numbers.
CREATE TABLE climate_days (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    station_wmo TEXT NOT NULL,
    day         TEXT NOT NULL,
    vals        TEXT NOT NULL,
    source      TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (station_wmo, day)
);
