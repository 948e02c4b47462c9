package bmkgquake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/bmkg/mkggraph/format/internal/jsontext"
)

// decodeJSON reads {"Infogempa": {"gempa": {...} | [...]}}. The wrapper is
// what makes the file this format; a file without it is an error.
func decodeJSON(data []byte) (document, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var top map[string]any
	if err := dec.Decode(&top); err != nil {
		return document{}, fmt.Errorf("bmkgquake: not a JSON object: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return document{}, errors.New("bmkgquake: trailing data after the JSON object")
	}
	info, ok := lookup(top, "infogempa").(map[string]any)
	if !ok {
		return document{}, errors.New("bmkgquake: JSON has no Infogempa object")
	}
	return jsonRecords(lookup(info, "gempa")), nil
}

// jsonRecords turns the value of "gempa" into records. A single object is
// one record (autogempa); an array is a list.
func jsonRecords(v any) document {
	var doc document
	switch g := v.(type) {
	case map[string]any:
		doc.records = []record{flatten(g)}
	case []any:
		doc.list = true
		for _, item := range g {
			obj, ok := item.(map[string]any)
			r := flatten(obj)
			if !ok {
				r.bad = fmt.Sprintf("gempa entry is a JSON %s, not an object", jsonKind(item))
			}
			doc.records = append(doc.records, r)
		}
	}
	return doc
}

// lookup finds a key regardless of case, since copies of the feed differ
// ("Infogempa", "InfoGempa").
func lookup(m map[string]any, key string) any {
	if v, ok := m[key]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}

// flatten copies leaf values of obj into a record; nested objects such as
// {"point": {"coordinates": "..."}} contribute their leaves.
func flatten(obj map[string]any) record {
	r := newRecord()
	if obj == nil {
		return r
	}
	flattenInto(r, obj, 0)
	return r
}

// Leaves are set before nested objects, in key order, so that which of two
// same-named fields wins does not depend on map iteration.
func flattenInto(r record, obj map[string]any, depth int) {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var nested []map[string]any
	for _, k := range keys {
		if x, ok := obj[k].(map[string]any); ok {
			nested = append(nested, x)
			continue
		}
		r.set(k, scalar(obj[k]))
	}
	if depth >= maxDepth {
		return
	}
	for _, x := range nested {
		flattenInto(r, x, depth+1)
	}
}

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	}
	return "null"
}

// scalar renders a JSON leaf as the text the XML feed would hold. An array
// of numbers becomes "a,b" so that a coordinates array reads like the string.
func scalar(v any) string {
	if x, ok := v.([]any); ok {
		parts := make([]string, 0, len(x))
		for _, e := range x {
			switch e.(type) {
			case string, json.Number, bool:
				parts = append(parts, jsontext.Scalar(e))
			}
		}
		return strings.Join(parts, ",")
	}
	return jsontext.Scalar(v)
}
