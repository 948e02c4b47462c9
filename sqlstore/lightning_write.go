package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

var strikeColumnList = strings.Split(strings.ReplaceAll(strikeColumns, " ", ""), ",")

// strikeBatch is how many strikes one SQLite statement inserts (9 values
// each, under SQLite's 32,766 parameters).
const strikeBatch = 2000

// pendingStrike is a strike on its way in, with its time in milliseconds.
type pendingStrike struct {
	ms int64
	s  *mkg.Strike
}

// strikePos is what the roll-ups need of an inserted strike.
type strikePos struct {
	TimeMs    int64   `db:"time_ms"`
	Latitude  float64 `db:"latitude"`
	Longitude float64 `db:"longitude"`
}

// InsertStrikes implements mkg.LightningWriter. Lightning writers take
// turns (a lock per database). Under it, one indexed query finds what the
// batch's networks already stored within the batch's time span: strikes
// outside that span cannot conflict and are copied straight into the
// table (COPY on PostgreSQL); the rest go through INSERT … ON CONFLICT DO
// NOTHING. The roll-ups are counted from the strikes really inserted and
// written in the same transaction. A file ingested twice, even by two
// instances at once, adds nothing the second time.
func (s *Store) InsertStrikes(ctx context.Context, strikes []mkg.Strike) (int, error) {
	batch := distinctStrikes(strikes)
	if len(batch) == 0 {
		return 0, nil
	}
	var times iter.Seq[time.Time] = func(yield func(time.Time) bool) {
		for _, p := range batch {
			if !yield(time.UnixMilli(p.ms)) {
				return
			}
		}
	}
	for attempt := 0; ; attempt++ {
		if err := s.ensurePartitions(ctx, "lightning_strikes", times); err != nil {
			return 0, err
		}
		n, err := s.insertStrikes(ctx, batch)
		if attempt == 0 && isMissingPartition(err) {
			s.parts.forget() // another instance dropped a partition this one knew
			continue
		}
		return n, err
	}
}

// distinctStrikes sorts the strikes by time and drops repeats of one
// strike (same network, time and position), as the table's key would.
func distinctStrikes(strikes []mkg.Strike) []pendingStrike {
	out := make([]pendingStrike, len(strikes))
	for i := range strikes {
		out[i] = pendingStrike{strikes[i].Time.UnixMilli(), &strikes[i]}
	}
	slices.SortFunc(out, func(a, b pendingStrike) int {
		return cmp.Or(cmp.Compare(a.ms, b.ms), cmp.Compare(a.s.Latitude, b.s.Latitude),
			cmp.Compare(a.s.Longitude, b.s.Longitude), strings.Compare(a.s.Network, b.s.Network))
	})
	return slices.CompactFunc(out, func(a, b pendingStrike) bool {
		return a.ms == b.ms && a.s.Latitude == b.s.Latitude && a.s.Longitude == b.s.Longitude && a.s.Network == b.s.Network
	})
}

func (s *Store) insertStrikes(ctx context.Context, batch []pendingStrike) (int, error) {
	inserted := 0
	err := s.bulkTx(ctx, func(b bulk) error {
		if err := s.dialect.lockNamed(ctx, b, "lightning_strikes"); err != nil {
			return s.wrap(err)
		}
		cells := cellCounts{}
		rest := batch
		if s.dialect.copies {
			var fresh []pendingStrike
			var err error
			if fresh, rest, err = s.splitFresh(ctx, b, batch); err != nil {
				return err
			}
			if err := s.copyStrikes(ctx, b, "lightning_strikes", fresh); err != nil {
				return err
			}
			for _, p := range fresh {
				cells.add(p.ms, p.s.Latitude, p.s.Longitude)
			}
			inserted += len(fresh)
		}
		added, err := s.insertNewStrikes(ctx, b, rest)
		if err != nil {
			return err
		}
		for _, p := range added {
			cells.add(p.TimeMs, p.Latitude, p.Longitude)
		}
		inserted += len(added)
		return s.addCells(ctx, b, cells)
	})
	return inserted, err
}

// splitFresh parts the batch (sorted by time) into the strikes that
// cannot conflict with stored ones, and the rest: those within the span
// of times at which the batch's networks already have strikes in the
// batch's own span. A feed delivered in order finds nothing stored and
// copies all; a file ingested again finds all stored.
func (s *Store) splitFresh(ctx context.Context, q sqlx.QueryerContext, batch []pendingStrike) (fresh, rest []pendingStrike, err error) {
	var networks []string
	for _, p := range batch {
		if !slices.Contains(networks, p.s.Network) {
			networks = append(networks, p.s.Network)
		}
	}
	query, args, err := s.in(`SELECT MIN(time_ms), MAX(time_ms) FROM lightning_strikes
		WHERE time_ms BETWEEN ? AND ? AND network IN (?)`, batch[0].ms, batch[len(batch)-1].ms, networks)
	if err != nil {
		return nil, nil, err
	}
	var span struct{ Lo, Hi sql.NullInt64 }
	if err := q.QueryRowxContext(ctx, query, args...).Scan(&span.Lo, &span.Hi); err != nil {
		return nil, nil, s.wrap(err)
	}
	if !span.Lo.Valid {
		return batch, nil, nil
	}
	lo, _ := slices.BinarySearchFunc(batch, span.Lo.Int64, func(p pendingStrike, ms int64) int { return cmp.Compare(p.ms, ms) })
	hi, _ := slices.BinarySearchFunc(batch, span.Hi.Int64+1, func(p pendingStrike, ms int64) int { return cmp.Compare(p.ms, ms) })
	return append(batch[:lo:lo], batch[hi:]...), batch[lo:hi], nil
}

func (s *Store) copyStrikes(ctx context.Context, b bulk, table string, strikes []pendingStrike) error {
	if len(strikes) == 0 {
		return nil
	}
	_, err := s.copyIn(ctx, b, table, strikeColumnList, len(strikes), func(buf []byte, i int) []byte {
		p := strikes[i]
		st := p.s
		return copyText(buf).int(p.ms).sep().float(st.Latitude).sep().float(st.Longitude).sep().text(st.Type).sep().
			int(int64(st.Polarity)).sep().nullFloat(st.PeakCurrentKA).sep().nullFloat(st.EnergyJ).sep().nullFloat(st.AreaKm2).sep().
			text(st.Network)
	})
	return err
}

// insertNewStrikes inserts the strikes that are not stored yet and returns
// them: on PostgreSQL through a temporary table and one INSERT … SELECT,
// on SQLite in multi-row INSERTs.
func (s *Store) insertNewStrikes(ctx context.Context, b bulk, strikes []pendingStrike) ([]strikePos, error) {
	if len(strikes) == 0 {
		return nil, nil
	}
	const returning = ` ON CONFLICT DO NOTHING RETURNING time_ms, latitude, longitude`
	var added []strikePos
	if s.dialect.copies {
		if _, err := b.ExecContext(ctx, `CREATE TEMP TABLE lightning_load (time_ms BIGINT, latitude DOUBLE PRECISION,
			longitude DOUBLE PRECISION, type TEXT, polarity SMALLINT, peak_current_ka DOUBLE PRECISION, energy_j DOUBLE PRECISION,
			area_km2 DOUBLE PRECISION, network TEXT) ON COMMIT DROP`); err != nil {
			return nil, s.wrap(err)
		}
		if err := s.copyStrikes(ctx, b, "lightning_load", strikes); err != nil {
			return nil, err
		}
		err := sqlx.SelectContext(ctx, b, &added, `INSERT INTO lightning_strikes (`+strikeColumns+`)
			SELECT `+strikeColumns+` FROM lightning_load`+returning)
		return added, s.wrap(err)
	}
	for i := 0; i < len(strikes); i += strikeBatch {
		part := strikes[i:min(i+strikeBatch, len(strikes))]
		args := make([]any, 0, 9*len(part))
		for _, p := range part {
			st := p.s
			args = append(args, p.ms, st.Latitude, st.Longitude, st.Type, st.Polarity, st.PeakCurrentKA, st.EnergyJ, st.AreaKm2, st.Network)
		}
		rows := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?), ", len(part)), ", ")
		var got []strikePos
		if err := sqlx.SelectContext(ctx, b, &got, `INSERT INTO lightning_strikes (`+strikeColumns+`) VALUES `+rows+returning, args...); err != nil {
			return nil, s.wrap(err)
		}
		added = append(added, got...)
	}
	return added, nil
}

// Roll-ups: lightning_cells counts strikes per hour and lattice cell of
// cellKms km: the 1 km lattice cell divided by 5 or 25. (1 km roll-ups
// would hold nearly a row per strike: lightning is sparse at that scale,
// and they would cost an ingest as much as the strikes.)
var cellKms = []int{5, 25}

const hourMs = int64(time.Hour / time.Millisecond)

// cellKey is one roll-up row.
type cellKey struct {
	km       int
	hour     int64
	row, col int
}

type cellCounts map[cellKey]int

func (c cellCounts) add(ms int64, lat, lon float64) {
	hour := floorDiv(ms, hourMs) * hourMs
	row, col := mkg.LatticeRow(lat, 1), mkg.LatticeCol(lon, 1)
	for _, km := range cellKms {
		c[cellKey{km, hour, row / km, col / km}]++
	}
}

func (c cellCounts) sorted() []cellKey {
	keys := make([]cellKey, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b cellKey) int {
		return cmp.Or(cmp.Compare(a.km, b.km), cmp.Compare(a.hour, b.hour), cmp.Compare(a.row, b.row), cmp.Compare(a.col, b.col))
	})
	return keys
}

const cellColumns = `cell_km, hour_ms, lattice_row, lattice_col, strikes`

// addCells adds the counts to the roll-ups. On PostgreSQL, the cells of
// hours that have no counts yet are copied in; the others, and all on
// SQLite, are added to by INSERT … ON CONFLICT DO UPDATE.
func (s *Store) addCells(ctx context.Context, b bulk, cells cellCounts) error {
	if len(cells) == 0 {
		return nil
	}
	keys := cells.sorted()
	if s.dialect.copies {
		var err error
		if keys, err = s.copyNewHours(ctx, b, keys, cells); err != nil {
			return err
		}
	}
	const perStatement = 2000 // 5 values each, under SQLite's parameter limit
	for i := 0; i < len(keys); i += perStatement {
		part := keys[i:min(i+perStatement, len(keys))]
		args := make([]any, 0, 5*len(part))
		for _, k := range part {
			args = append(args, k.km, k.hour, k.row, k.col, cells[k])
		}
		rows := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?), ", len(part)), ", ")
		if _, err := b.ExecContext(ctx, s.rebind(`INSERT INTO lightning_cells (`+cellColumns+`) VALUES `+rows+`
			ON CONFLICT (cell_km, hour_ms, lattice_row, lattice_col) DO UPDATE SET strikes = lightning_cells.strikes + excluded.strikes`), args...); err != nil {
			return s.wrap(err)
		}
	}
	return nil
}

// copyNewHours copies the cells of hours without counts and returns the
// others. All sizes are written together, so an hour's 25 km rows tell
// whether it has any.
func (s *Store) copyNewHours(ctx context.Context, b bulk, keys []cellKey, cells cellCounts) ([]cellKey, error) {
	var counted []int64
	first, last := keys[0].hour, keys[0].hour
	for _, k := range keys {
		first, last = min(first, k.hour), max(last, k.hour)
	}
	if err := sqlx.SelectContext(ctx, b, &counted, `SELECT DISTINCT hour_ms FROM lightning_cells
		WHERE cell_km = 25 AND hour_ms BETWEEN $1 AND $2`, first, last); err != nil {
		return nil, s.wrap(err)
	}
	busy := map[int64]bool{}
	for _, h := range counted {
		busy[h] = true
	}
	var fresh, rest []cellKey
	for _, k := range keys {
		if busy[k.hour] {
			rest = append(rest, k)
		} else {
			fresh = append(fresh, k)
		}
	}
	if len(fresh) == 0 {
		return rest, nil
	}
	_, err := s.copyIn(ctx, b, "lightning_cells", strings.Split(strings.ReplaceAll(cellColumns, " ", ""), ","), len(fresh),
		func(buf []byte, i int) []byte {
			k := fresh[i]
			return copyText(buf).int(int64(k.km)).sep().int(k.hour).sep().int(int64(k.row)).sep().int(int64(k.col)).sep().
				int(int64(cells[k]))
		})
	return rest, err
}
