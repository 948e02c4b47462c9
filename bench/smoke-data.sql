-- Observation volume for SMOKE TESTS of the benchmark kit only, never for
-- the published table (that one runs on `mkggraph generate-volume`, see
-- README.md). On a database holding the demo data (MKG_DEMO_DATA=true), it
-- copies one demo SYNOP report's row to every SYNOPTIC station with a WMO
-- index, every hour of the last :days days, then brings latest_observations
-- and the observations generation up to date as the writer would:
--
--   psql "$DATABASE_URL" -v days=3 -f bench/smoke-data.sql
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO observations (station_wmo, observed_at, ttaaii, cccc, yygggg, bbb, report_text, is_nil,
                          values_json, problems_json, source, received_at, updated_at)
SELECT s.wmo_index, h.at, d.ttaaii, d.cccc, to_char(h.at AT TIME ZONE 'UTC', 'DDHH24MI'), '', d.report_text, false,
       d.values_json, d.problems_json, 'smoke-data.sql', now(), now()
FROM stations s
CROSS JOIN generate_series(date_trunc('hour', now()) - make_interval(days => :days) + interval '1 hour',
                           date_trunc('hour', now()), interval '1 hour') AS h(at)
CROSS JOIN (SELECT * FROM observations WHERE NOT is_nil AND values_json IS NOT NULL
            ORDER BY id LIMIT 1) d
WHERE s.kinds LIKE '%,SYNOPTIC,%' AND s.wmo_index IS NOT NULL
ON CONFLICT (station_wmo, observed_at) DO NOTHING;

INSERT INTO latest_observations (station_wmo, observed_at, observation_id)
SELECT DISTINCT ON (station_wmo) station_wmo, observed_at, id
FROM observations WHERE NOT is_nil ORDER BY station_wmo, observed_at DESC, id DESC
ON CONFLICT (station_wmo) DO UPDATE SET observed_at = excluded.observed_at, observation_id = excluded.observation_id;

UPDATE generations SET generation = generation + 1 WHERE name = 'observations';
COMMIT;
VACUUM ANALYZE observations;
VACUUM ANALYZE latest_observations;
