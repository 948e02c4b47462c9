// Package isotime reads the ISO 8601 date-times earthquake feeds write,
// with or without a zone, with a "T" or a space between date and time.
package isotime

import "time"

// layouts are the forms accepted; a value without a zone is UTC.
var layouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
}

// Parse reads s (already trimmed) and returns it in UTC; ok is false when
// s has none of the accepted forms.
func Parse(s string) (t time.Time, ok bool) {
	for _, layout := range layouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
