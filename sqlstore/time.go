package sqlstore

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// timeLayout is fixed-width UTC with microseconds: SQLite stores times as
// text, and only a fixed width makes text order equal time order. PostgreSQL
// parses the same text into timestamptz (whose precision is microseconds).
const timeLayout = "2006-01-02T15:04:05.000000Z"

// dbTime is a time as the store writes and reads it.
type dbTime struct{ time.Time }

func (t dbTime) String() string { return t.Time.UTC().Format(timeLayout) }

// Value implements driver.Valuer.
func (t dbTime) Value() (driver.Value, error) { return t.String(), nil }

// Scan implements sql.Scanner for both drivers' representations.
func (t *dbTime) Scan(src any) error {
	v, err := scanTime(src)
	if err != nil {
		return err
	}
	if v == nil {
		return fmt.Errorf("unexpected NULL time")
	}
	t.Time = *v
	return nil
}

// dbNullTime is a time that may be NULL.
type dbNullTime struct{ Time *time.Time }

func nullTime(t *time.Time) dbNullTime { return dbNullTime{t} }

// Value implements driver.Valuer.
func (t dbNullTime) Value() (driver.Value, error) {
	if t.Time == nil {
		return nil, nil
	}
	return dbTime{*t.Time}.String(), nil
}

// Scan implements sql.Scanner.
func (t *dbNullTime) Scan(src any) error {
	v, err := scanTime(src)
	t.Time = v
	return err
}

func scanTime(src any) (*time.Time, error) {
	var s string
	switch v := src.(type) {
	case nil:
		return nil, nil
	case time.Time:
		u := v.UTC()
		return &u, nil
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return nil, fmt.Errorf("cannot read a time from %T", src)
	}
	for _, layout := range []string{timeLayout, time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			u := t.UTC()
			return &u, nil
		}
	}
	return nil, fmt.Errorf("cannot parse time %q", s)
}

// compareTimes orders optional times, unknown first.
func compareTimes(a, b *time.Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return a.Compare(*b)
}
