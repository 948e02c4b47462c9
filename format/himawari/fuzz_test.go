package himawari

import (
	"testing"
	"time"
)

// FuzzParseName checks that no name makes ParseName panic, that an error
// comes with a zero Product, and that every accepted name is written back
// unchanged by Name.
func FuzzParseName(f *testing.F) {
	for _, tc := range valid {
		f.Add(tc.name)
	}
	for _, tc := range invalid {
		f.Add(tc.name)
	}
	f.Fuzz(func(t *testing.T, name string) {
		p, err := ParseName(name)
		if err != nil {
			if p != (Product{}) {
				t.Fatalf("error %v returned with %+v", err, p)
			}
			return
		}
		if got := p.Name(); got != name {
			t.Fatalf("ParseName(%q).Name() = %q", name, got)
		}
		if p.Start.Location() != time.UTC || p.Start.Minute()%10 != 0 {
			t.Fatalf("start %v is not a UTC timeline", p.Start)
		}
	})
}
