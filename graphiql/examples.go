package graphiql

import "encoding/json"

// An Example is one of the tabs GraphiQL opens on a first visit: a query
// per kind of data (assets/examples.json, which the page loads too).
type Example struct {
	Title string `json:"title"`
	Query string `json:"query"`
	// Variables is the variables editor's JSON text ("" for none).
	Variables string `json:"variables,omitempty"`
	// Needs names the dataset an anonymous visitor lacks for it ("": the
	// example answers anyone with real data); its comment says so too.
	Needs string `json:"needs,omitempty"`
}

// Examples returns the example tabs, in the order GraphiQL shows them.
func Examples() ([]Example, error) {
	b, err := files.ReadFile("assets/examples.json")
	if err != nil {
		return nil, err
	}
	var out []Example
	return out, json.Unmarshal(b, &out)
}
