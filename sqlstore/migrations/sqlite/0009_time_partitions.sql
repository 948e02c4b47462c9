-- PostgreSQL partitions observations and lightning strikes by time; SQLite
-- keeps each in one table. Both get the lightning roll-ups: strikes
-- counted per hour and lattice cell, kept current by every insert
-- (sqlstore/lightning_write.go), so a density grid over a day reads
-- thousands of counts instead of millions of strikes.
--
-- Two scales (cells per degree: 100, i.e. 0.01°, and 10, i.e. 0.1°). A
-- strike's lattice row is floor((latitude + 90) * 100) and its column
-- floor((longitude + 180) * 100) (mkg.LatticeRow, mkg.LatticeCol); at
-- scale 10 both are divided by 10.
CREATE TABLE lightning_cells (
    scale       INTEGER NOT NULL,
    hour_ms     BIGINT NOT NULL,   -- the hour's start, Unix ms
    lattice_row INTEGER NOT NULL,
    lattice_col INTEGER NOT NULL,
    strikes     INTEGER NOT NULL,
    PRIMARY KEY (scale, hour_ms, lattice_row, lattice_col)
) WITHOUT ROWID;

INSERT INTO lightning_cells (scale, hour_ms, lattice_row, lattice_col, strikes)
SELECT 100, time_ms - ((time_ms % 3600000) + 3600000) % 3600000,
       CAST(floor((latitude + 90) * 100) AS INTEGER), CAST(floor((longitude + 180) * 100) AS INTEGER), COUNT(*)
FROM lightning_strikes GROUP BY 1, 2, 3, 4;
INSERT INTO lightning_cells (scale, hour_ms, lattice_row, lattice_col, strikes)
SELECT 10, hour_ms, lattice_row / 10, lattice_col / 10, SUM(strikes)
FROM lightning_cells WHERE scale = 100 GROUP BY 1, 2, 3, 4;
