package synop

import (
	"encoding/json"
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// FuzzParse feeds arbitrary input to Parse. It must never panic, and what
// it returns must always be encodable, since the decoded form is stored as
// JSON.
func FuzzParse(f *testing.F) {
	for _, name := range samples {
		f.Add(fixture.Read(f, name))
	}
	f.Add([]byte("AAXX 01004\n96749 32970 81099 00120 10250 29085 48624 5/011 333 55310 ///// 22707 90710 91199 00105 555 1=\n"))
	f.Add([]byte("ZCZC\nSMXX01 ABCD 010000 RRA\nBBXX\nNIL=\nNNNN"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err != nil {
			return
		}
		if _, err := json.Marshal(file); err != nil {
			t.Fatal(err)
		}
		for _, b := range file.Bulletins {
			for _, r := range b.Reports {
				if r.Line < 1 || len(r.Text) > len(data) {
					t.Fatalf("report %+v out of its input", r)
				}
			}
		}
	})
}
