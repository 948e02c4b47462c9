package sniff

import "testing"

func TestHead(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"\xEF\xBB\xBF \r\n<q:quakeml>", 100, "<q:quakeml>"},
		{"  {\"type\": 1}", 5, "{\"t"},
		{"\xEF\xBB\xBF", 2, "\xEF\xBB"}, // a BOM cut short is not a BOM
		{"", 10, ""},
	} {
		if got := string(Head([]byte(c.in), c.n)); got != c.want {
			t.Errorf("Head(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}

func TestFirstLine(t *testing.T) {
	for in, want := range map[string]string{
		"\xEF\xBB\xBFdate,pm25\n2024-01-01,3\n": "date,pm25",
		"code\tlat\tlon\r\nX\t1\t2":             "code\tlat\tlon\r",
		"no newline":                            "no newline",
		"":                                      "",
	} {
		if got := string(FirstLine([]byte(in))); got != want {
			t.Errorf("FirstLine(%q) = %q, want %q", in, got, want)
		}
	}
}
