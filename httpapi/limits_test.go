package httpapi

import "testing"

func TestJSONValues(t *testing.T) {
	for body, want := range map[string]int{
		`{"query":"{ a, b [c] }","variables":{"k":[1,2,"x\",[y"]}}`: 7,
		`{"query":"{ a }"}`:            2,
		`{"variables":{"k":[[[[]]]]}}`: 7,
		`"a\\"`:                        1,
	} {
		if got := jsonValues([]byte(body)); got != want {
			t.Errorf("%s: %d values, want %d", body, got, want)
		}
	}
}
