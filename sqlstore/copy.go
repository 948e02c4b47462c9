package sqlstore

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// bulk is a transaction on a connection of its own, so that COPY can
// stream on it between the transaction's other statements.
type bulk struct {
	sqlx.ExtContext // the transaction, counted
	conn            *sqlx.Conn
}

// bulkTx runs fn in a transaction on a pinned connection, committed when fn
// returns nil.
func (s *Store) bulkTx(ctx context.Context, fn func(b bulk) error) error {
	conn, err := s.db.Connx(ctx)
	if err != nil {
		return s.wrap(err)
	}
	defer conn.Close()
	st := s.op(ctx, "BEGIN")
	tx, err := conn.BeginTxx(ctx, nil)
	st.end(err)
	if err != nil {
		return s.wrap(err)
	}
	var advanced bool
	if err := fn(bulk{counted{tx, s, &advanced}, conn}); err != nil {
		tx.Rollback()
		return err
	}
	return s.commit(ctx, tx, advanced)
}

// copyDataer is lib/pq's COPY statement: CopyData takes lines as they go
// on the wire. lib/pq speaks only COPY's text format (it refuses a binary
// COPY), so rows are written as text by the caller, many to a call.
type copyDataer interface {
	CopyData(ctx context.Context, line string) (driver.Result, error)
}

// copyIn streams n rows into table with COPY … FROM STDIN on PostgreSQL;
// row appends the i-th as a line of COPY text (tab-separated, \N for
// NULL, no newline; see copyText). It returns the rows copied.
func (s *Store) copyIn(ctx context.Context, b bulk, table string, cols []string, n int, row func(buf []byte, i int) []byte) (int64, error) {
	var copied int64
	st := s.op(ctx, "COPY "+table)
	err := b.conn.Raw(func(dc any) error {
		quoted := make([]string, len(cols))
		for i, c := range cols {
			quoted[i] = pq.QuoteIdentifier(c)
		}
		query := "COPY " + pq.QuoteIdentifier(table) + " (" + strings.Join(quoted, ", ") + ") FROM STDIN"
		stmt, err := dc.(driver.ConnPrepareContext).PrepareContext(ctx, query)
		if err != nil {
			return err
		}
		defer stmt.Close()
		cd, ok := stmt.(copyDataer)
		if !ok {
			return fmt.Errorf("lib/pq COPY statement %T has no CopyData", stmt)
		}
		const chunk = 64 << 10 // lib/pq sends a CopyData message at 63 KB
		buf := make([]byte, 0, chunk+1024)
		for i := range n {
			buf = append(row(buf, i), '\n')
			if len(buf) >= chunk || i == n-1 {
				// CopyData ends the text with a newline of its own.
				if _, err := cd.CopyData(ctx, string(buf[:len(buf)-1])); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
		//lint:ignore SA1019 lib/pq's COPY statement ends the COPY with Exec and has no ExecContext
		res, err := stmt.Exec(nil) // ends the COPY, reports its errors
		if err != nil {
			return err
		}
		copied, err = res.RowsAffected()
		return err
	})
	st.end(err)
	return copied, s.wrap(err)
}

// copyText appends COPY text encodings of values.
type copyText []byte

func (c copyText) sep() copyText { return append(c, '\t') }

func (c copyText) int(v int64) copyText { return strconv.AppendInt(c, v, 10) }

func (c copyText) float(v float64) copyText { return strconv.AppendFloat(c, v, 'g', -1, 64) }

func (c copyText) nullFloat(v *float64) copyText {
	if v == nil {
		return append(c, `\N`...)
	}
	return c.float(*v)
}

// text escapes what COPY's text format gives a meaning to.
func (c copyText) text(v string) copyText {
	for i := 0; i < len(v); i++ {
		switch b := v[i]; b {
		case '\\':
			c = append(c, `\\`...)
		case '\t':
			c = append(c, `\t`...)
		case '\n':
			c = append(c, `\n`...)
		case '\r':
			c = append(c, `\r`...)
		default:
			c = append(c, b)
		}
	}
	return c
}
