package graph

import (
	"errors"
	"testing"

	"github.com/99designs/gqlgen/graphql"

	"github.com/bmkg/mkggraph/mkg"
)

func TestCheckValueNamesThePath(t *testing.T) {
	cases := []struct {
		value any
		field string // "" = accepted
	}{
		{"Jakarta", ""},
		{"Jakarta \u00e9\u4e2d", ""},
		{"Ja\x00karta", "arg"},
		{"Jakarta\xff", "arg"},
		{map[string]any{"applicant": map[string]any{"email": "a@b.c", "name": "Siti\x00"}}, "arg.applicant.name"},
		{map[string]any{"form": map[string]any{"datasets": []any{"SYNOP_L1", "SYNOP_L2", "X\x00"}}}, "arg.form.datasets[2]"},
		{graphql.Upload{Filename: "surat\x00.pdf"}, "arg.filename"},
		{&graphql.Upload{Filename: "surat\xfe.pdf"}, "arg.filename"},
		{[]any{1, 2.5, true, nil}, ""},
	}
	for _, c := range cases {
		err := checkValue("arg", c.value)
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%q refused: %v", c.value, err)
		case c.field != "":
			var e *mkg.Error
			if !errors.As(err, &e) || e.Code != mkg.EINVALID || e.Field != c.field {
				t.Errorf("%q: %v; want BAD_USER_INPUT naming %s", c.value, err, c.field)
			}
		}
	}
}
