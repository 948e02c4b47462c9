package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// check asks every target of a shape once, as the benchmark will, and
// verifies that each answer holds no errors and the same rows as the
// reference target's (MKG Graph's). It returns what the rows hold.
func check(ctx context.Context, f *fleet, s shape) (string, error) {
	ref, err := answer(ctx, f, s.reference())
	if err != nil {
		return "", err
	}
	if err := enough(s.id, ref); err != nil {
		return "", err
	}
	compared := 0
	for _, t := range s.targets[1:] {
		rows, err := answer(ctx, f, t)
		if err != nil {
			return "", err
		}
		if t.norm == nil {
			continue
		}
		if err := sameRows(ref, rows); err != nil {
			return "", fmt.Errorf("%s: %s answers differently from %s: %w", s.id, t.label, s.reference().label, err)
		}
		compared++
	}
	return fmt.Sprintf("%s: %d servers/callers agree on %s", s.id, compared+1, describe(s.id, ref)), nil
}

// answer posts a target's body and normalises its answer; a target
// without a normaliser only has to answer 200.
func answer(ctx context.Context, f *fleet, t target) ([]row, error) {
	body, err := os.ReadFile(filepath.Join(f.root, "bench", "bodies", t.body))
	if err != nil {
		return nil, err
	}
	srv := f.target(t)
	status, b, err := post(ctx, srv.base+t.path, f.key(t), body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.label, err)
	}
	if status != 200 {
		return nil, fmt.Errorf("%s: HTTP %d: %.300s", t.label, status, b)
	}
	if t.norm == nil {
		return nil, nil
	}
	return decodeAnswer(t, b)
}

func decodeAnswer(t target, b []byte) ([]row, error) {
	var resp struct {
		Data   any               `json:"data"`
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(b, &resp); err != nil {
		return nil, fmt.Errorf("%s: the answer is not JSON: %.200s", t.label, b)
	}
	if len(resp.Errors) > 0 || resp.Data == nil {
		return nil, fmt.Errorf("%s: the answer has errors: %.500s", t.label, b)
	}
	rows, err := t.norm(resp.Data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.label, err)
	}
	return rows, nil
}

// sameRows compares rows one by one, in order, as JSON.
func sameRows(want, got []row) error {
	if len(want) != len(got) {
		return fmt.Errorf("%d rows instead of %d", len(got), len(want))
	}
	for i := range want {
		w, _ := json.Marshal(want[i])
		g, _ := json.Marshal(got[i])
		if string(w) != string(g) {
			return fmt.Errorf("row %d:\n  want %s\n  got  %s", i, w, g)
		}
	}
	return nil
}

// enough refuses answers that would measure nothing: an empty page, or a
// dashboard whose stations have no observation.
func enough(id string, rows []row) error {
	if len(rows) == 0 {
		return fmt.Errorf("%s: the answer holds no rows; is the database filled (bench/README.md)?", id)
	}
	if id == "W1" && withObservation(rows) == 0 {
		return fmt.Errorf("W1: none of the %d stations has an observation; is the database filled (bench/README.md)?", len(rows))
	}
	return nil
}

func withObservation(rows []row) int {
	n := 0
	for _, r := range rows {
		if r["observedAt"] != nil {
			n++
		}
	}
	return n
}

func describe(id string, rows []row) string {
	switch id {
	case "W1":
		return fmt.Sprintf("%d stations, %d with a latest observation", len(rows), withObservation(rows))
	case "W2":
		return fmt.Sprintf("%d observations of station %s", len(rows), w2Station)
	case "W3":
		return fmt.Sprintf("%d earthquakes", len(rows))
	case "W4":
		return fmt.Sprintf("%d stations", len(rows))
	case "LE":
		return fmt.Sprintf("the latest earthquake (%v)", rows[0]["originTime"])
	}
	return fmt.Sprintf("%d rows", len(rows))
}
