package httpapi

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestEncodeResponse: the response written without re-encoding the data
// says what encoding/json would, members in the same order (errors, data,
// extensions), the data's bytes as the executor wrote them.
func TestEncodeResponse(t *testing.T) {
	data := json.RawMessage(`{"a":"<b> & c","n":[1,2.5,null]}`)
	errs := gqlerror.List{{Message: "denied", Path: ast.Path{ast.PathName("a")}, Extensions: map[string]any{"code": "FORBIDDEN"}}}
	ext := map[string]any{"cost": map[string]any{"requested": 3}}
	for name, resp := range map[string]*graphql.Response{
		"data":                   {Data: data},
		"null data":              {Data: json.RawMessage(`null`)},
		"errors only":            {Errors: errs},
		"extensions only":        {Extensions: ext},
		"errors, data, ext":      {Errors: errs, Data: data, Extensions: ext},
		"data and extensions":    {Data: data, Extensions: ext},
		"nothing (never served)": {},
	} {
		got := encodeResponse(resp)
		want, err := json.Marshal(wire(resp))
		if err != nil {
			t.Fatal(err)
		}
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Errorf("%s: not JSON: %s", name, got)
			continue
		}
		json.Unmarshal(want, &w)
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
		if got[len(got)-1] != '\n' {
			t.Errorf("%s: no final newline", name)
		}
		if len(resp.Data) > 0 && !bytes.Contains(got, append([]byte(`"data":`), resp.Data...)) {
			t.Errorf("%s: the data were not written as given: %s", name, got)
		}
		if resp.Errors != nil && resp.Data != nil && bytes.Index(got, []byte(`"errors"`)) > bytes.Index(got, []byte(`"data"`)) {
			t.Errorf("%s: errors come after data: %s", name, got)
		}
	}
}
