package jsontext

import (
	"encoding/json"
	"testing"
)

func TestScalar(t *testing.T) {
	for _, c := range []struct {
		in   any
		want string
	}{
		{"6.1 SR", "6.1 SR"},
		{json.Number("-7.05"), "-7.05"},
		{true, "true"},
		{false, "false"},
		{nil, ""},
		{map[string]any{"a": "b"}, ""},
		{[]any{"1", "2"}, ""},
	} {
		if got := Scalar(c.in); got != c.want {
			t.Errorf("Scalar(%#v) = %q, want %q", c.in, got, c.want)
		}
	}
}
