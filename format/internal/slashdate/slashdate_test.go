package slashdate

import "testing"

func TestEvidence(t *testing.T) {
	for _, c := range []struct {
		texts      []string
		day, month bool
	}{
		{[]string{"03/04/2021", "12/11/2020"}, false, false},
		{[]string{"03/04/2021", "25/04/2021"}, true, false},
		{[]string{"04/25/2021", "2021-04-26", "x/y/z"}, false, true},
		{[]string{"25/04/2021", "04/25/2021"}, true, true},
		{[]string{" 13/1/2020 ", "1/2"}, true, false},
	} {
		if d, m := Evidence(c.texts); d != c.day || m != c.month {
			t.Errorf("Evidence(%q) = %v, %v; want %v, %v", c.texts, d, m, c.day, c.month)
		}
	}
}
