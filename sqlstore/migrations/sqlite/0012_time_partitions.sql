-- PostgreSQL partitions observations and lightning strikes by time; SQLite
-- keeps each in one table. Both get the lightning roll-ups: strikes
-- counted per hour and lattice cell, kept current by every insert
-- (sqlstore/lightning_write.go), so a density grid over a day reads
-- thousands of counts instead of millions of strikes.
--
-- Cells of 5 and 25 km. A strike's lattice row is
-- floor((latitude + 90) * 111.3203125) and its column
-- floor((longitude + 180) * 111.3203125) (mkg.LatticeRow, mkg.LatticeCol:
-- cells of about 1 km), divided by 5 or 25.
CREATE TABLE lightning_cells (
    cell_km     INTEGER NOT NULL,
    hour_ms     BIGINT NOT NULL,   -- the hour's start, Unix ms
    lattice_row INTEGER NOT NULL,
    lattice_col INTEGER NOT NULL,
    strikes     INTEGER NOT NULL,
    PRIMARY KEY (cell_km, hour_ms, lattice_row, lattice_col)
) WITHOUT ROWID;

INSERT INTO lightning_cells (cell_km, hour_ms, lattice_row, lattice_col, strikes)
SELECT k.cell_km, s.hour_ms, s.lattice_row / k.cell_km, s.lattice_col / k.cell_km, COUNT(*)
FROM (SELECT time_ms - ((time_ms % 3600000) + 3600000) % 3600000 AS hour_ms,
             CAST(floor((latitude + 90) * 111.3203125) AS INTEGER) AS lattice_row,
             CAST(floor((longitude + 180) * 111.3203125) AS INTEGER) AS lattice_col
      FROM lightning_strikes) s
CROSS JOIN (SELECT 5 AS cell_km UNION ALL SELECT 25) k
GROUP BY 1, 2, 3, 4;
