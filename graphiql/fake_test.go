package graphiql_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// fakeGraphQL stands in for the real server in the browser tests: it
// answers introspection with a tiny schema (so GraphiQL has no schema
// error to report) and any other query with one canned stations result.
// It records the Authorization header and the operation name of the last
// query. A WebSocket (graphql-transport-ws) subscription gets the same
// result as one event, and the connection_init payload, the subscribe's
// operation name and the client's complete are recorded.
type fakeGraphQL struct {
	mu            sync.Mutex
	authorization string
	operation     string // of the last query
	queries       int
	initPayload   json.RawMessage
	subscription  string // the operation name of the last subscribe
	completed     bool
}

// cannedResult is the answer to every non-introspection query.
const cannedResult = `{"data":{"stations":{"totalCount":1,"edges":[{"node":{"id":"U3RhdGlvbjo5Njc0OQ==",` +
	`"wmoIndex":"96749","name":"Jakarta / Soekarno-Hatta","latitude":-6.1167,"longitude":106.65}}]}}}`

func (f *fakeGraphQL) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Upgrade") != "" {
		f.serveSocket(w, r)
		return
	}
	var req struct {
		Query         string `json:"query"`
		OperationName string `json:"operationName"`
	}
	if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&req) != nil {
		http.Error(w, `{"errors":[{"message":"POST a JSON GraphQL request"}]}`, http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if strings.Contains(req.Query, "__schema") {
		json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"__schema": fakeSchema()}})
		return
	}
	f.mu.Lock()
	f.authorization = r.Header.Get("Authorization")
	f.operation = req.OperationName
	f.queries++
	f.mu.Unlock()
	w.Write([]byte(cannedResult))
}

// serveSocket speaks just enough graphql-transport-ws: ack the init,
// answer one subscribe with one event, wait for the client's complete.
func (f *fakeGraphQL) serveSocket(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		return
	}
	defer c.CloseNow()
	ctx, cancel := context.WithTimeout(r.Context(), time.Minute)
	defer cancel()
	type message struct {
		Type    string          `json:"type"`
		ID      string          `json:"id,omitempty"`
		Payload json.RawMessage `json:"payload,omitempty"`
	}
	read := func() (message, bool) {
		var m message
		_, b, err := c.Read(ctx)
		return m, err == nil && json.Unmarshal(b, &m) == nil
	}
	write := func(m message) {
		b, _ := json.Marshal(m)
		c.Write(ctx, websocket.MessageText, b)
	}
	m, ok := read()
	if !ok || m.Type != "connection_init" {
		c.Close(4400, "connection_init expected")
		return
	}
	f.mu.Lock()
	f.initPayload = m.Payload
	f.mu.Unlock()
	write(message{Type: "connection_ack"})
	if m, ok = read(); !ok || m.Type != "subscribe" {
		return
	}
	var sub struct {
		OperationName string `json:"operationName"`
	}
	json.Unmarshal(m.Payload, &sub)
	f.mu.Lock()
	f.subscription = sub.OperationName
	f.mu.Unlock()
	write(message{Type: "next", ID: m.ID, Payload: json.RawMessage(cannedResult)})
	for {
		next, ok := read()
		if !ok {
			return
		}
		if next.Type == "complete" && next.ID == m.ID {
			f.mu.Lock()
			f.completed = true
			f.mu.Unlock()
			c.Close(websocket.StatusNormalClosure, "")
			return
		}
	}
}

// socket returns the last connection_init payload and whether the client
// completed its subscription.
func (f *fakeGraphQL) socket() (json.RawMessage, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.initPayload, f.completed
}

func (f *fakeGraphQL) lastAuthorization() (string, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.authorization, f.queries
}

// operations returns the operation names of the last query and of the
// last subscription, and how many queries came.
func (f *fakeGraphQL) operations() (query, subscription string, queries int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.operation, f.subscription, f.queries
}

// fakeSchema is the introspection result for
//
//	type Query { stations(first: Int): StationConnection! }
//	type StationConnection { totalCount: Int!  edges: [StationEdge!]! }
//	type StationEdge { node: Station! }
//	type Station { id: ID!  wmoIndex: String  name: String!  latitude: Float!  longitude: Float! }
//	type Subscription { stations(first: Int): StationConnection! }
func fakeSchema() map[string]any {
	named := func(kind, name string) map[string]any {
		return map[string]any{"kind": kind, "name": name, "ofType": nil}
	}
	nonNull := func(t map[string]any) map[string]any {
		return map[string]any{"kind": "NON_NULL", "name": nil, "ofType": t}
	}
	list := func(t map[string]any) map[string]any { return map[string]any{"kind": "LIST", "name": nil, "ofType": t} }
	field := func(name string, t map[string]any, args ...map[string]any) map[string]any {
		if args == nil {
			args = []map[string]any{}
		}
		return map[string]any{"name": name, "description": nil, "args": args, "type": t,
			"isDeprecated": false, "deprecationReason": nil}
	}
	object := func(name string, fields ...map[string]any) map[string]any {
		return map[string]any{"kind": "OBJECT", "name": name, "description": nil, "fields": fields,
			"inputFields": nil, "interfaces": []any{}, "enumValues": nil, "possibleTypes": nil}
	}
	scalar := func(name string) map[string]any {
		return map[string]any{"kind": "SCALAR", "name": name, "description": nil, "fields": nil,
			"inputFields": nil, "interfaces": nil, "enumValues": nil, "possibleTypes": nil}
	}
	first := map[string]any{"name": "first", "description": nil, "type": named("SCALAR", "Int"), "defaultValue": nil}
	return map[string]any{
		"queryType":        map[string]any{"name": "Query"},
		"mutationType":     nil,
		"subscriptionType": map[string]any{"name": "Subscription"},
		"directives":       []any{},
		"types": []any{
			object("Query", field("stations", nonNull(named("OBJECT", "StationConnection")), first)),
			object("Subscription", field("stations", nonNull(named("OBJECT", "StationConnection")), first)),
			object("StationConnection",
				field("totalCount", nonNull(named("SCALAR", "Int"))),
				field("edges", nonNull(list(nonNull(named("OBJECT", "StationEdge")))))),
			object("StationEdge", field("node", nonNull(named("OBJECT", "Station")))),
			object("Station",
				field("id", nonNull(named("SCALAR", "ID"))),
				field("wmoIndex", named("SCALAR", "String")),
				field("name", nonNull(named("SCALAR", "String"))),
				field("latitude", nonNull(named("SCALAR", "Float"))),
				field("longitude", nonNull(named("SCALAR", "Float")))),
			scalar("ID"), scalar("String"), scalar("Int"), scalar("Float"), scalar("Boolean"),
		},
	}
}
