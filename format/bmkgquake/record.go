package bmkgquake

import "strings"

// record is one <gempa> element or JSON object, flattened: every leaf field
// keyed by its lower-case name, so that "point/coordinates" in XML and
// "Coordinates" in JSON both read as "coordinates".
type record struct {
	fields  map[string]string
	capital bool   // the XML element was <Gempa>, as in legacy gempadirasakan
	bad     string // why the entry is not a record at all, "" when it is
}

func newRecord() record { return record{fields: map[string]string{}} }

// set keeps the first value of a repeated field.
func (r record) set(name, value string) {
	key := strings.ToLower(name)
	if _, dup := r.fields[key]; !dup {
		r.fields[key] = value
	}
}

func (r record) get(name string) string { return r.fields[name] }

func (r record) has(name string) bool {
	_, ok := r.fields[name]
	return ok
}

// document is what a file holds once decoded: its records, whether they
// came as a list, and a syntax error that cut the file short, if any.
type document struct {
	records   []record
	list      bool
	truncated error
}
