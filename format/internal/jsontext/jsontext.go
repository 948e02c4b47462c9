// Package jsontext renders the scalars of a JSON document decoded with
// UseNumber as the text a feed's XML form holds in their place.
package jsontext

import (
	"encoding/json"
	"fmt"
)

// Scalar renders a string, number or boolean as its text; nil, objects and
// arrays are "".
func Scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return fmt.Sprint(x)
	}
	return ""
}
