package export

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"time"
)

// csvWriter writes RFC 4180 CSV: a header row, then one row per record;
// missing values are empty cells.
type csvWriter struct {
	w    *csv.Writer
	cols []column
}

func newCSV(w io.Writer, cols []column) *csvWriter { return &csvWriter{csv.NewWriter(w), cols} }

func (c *csvWriter) header() error {
	names := make([]string, len(c.cols))
	for i, col := range c.cols {
		names[i] = col.csv
	}
	return c.w.Write(names)
}

func (c *csvWriter) row(values []any, _, _ *float64) error {
	cells := make([]string, len(values))
	for i, v := range values {
		cells[i] = cell(v)
	}
	if err := c.w.Write(cells); err != nil {
		return err
	}
	c.w.Flush() // rows reach the client as they are produced
	return c.w.Error()
}

func (c *csvWriter) end() error {
	c.w.Flush()
	return c.w.Error()
}

// cell formats a value for CSV: numbers in their shortest exact form,
// times in RFC 3339 UTC, nil as an empty cell.
func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// geoJSONWriter writes an RFC 7946 FeatureCollection of points, one feature
// per record; records without a position get a null geometry.
type geoJSONWriter struct {
	w     *bufio.Writer
	cols  []column
	count int
}

func newGeoJSON(w io.Writer, cols []column) *geoJSONWriter {
	return &geoJSONWriter{w: bufio.NewWriter(w), cols: cols}
}

func (g *geoJSONWriter) header() error {
	_, err := g.w.WriteString(`{"type":"FeatureCollection","features":[`)
	return err
}

type feature struct {
	Type       string         `json:"type"`
	Geometry   *point         `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

type point struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

func (g *geoJSONWriter) row(values []any, lat, lon *float64) error {
	f := feature{Type: "Feature", Properties: make(map[string]any, len(values))}
	if lat != nil && lon != nil {
		f.Geometry = &point{Type: "Point", Coordinates: [2]float64{*lon, *lat}}
	}
	for i, v := range values {
		if t, ok := v.(time.Time); ok {
			v = t.UTC().Format(time.RFC3339)
		}
		f.Properties[g.cols[i].property] = v
	}
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	if g.count > 0 {
		g.w.WriteByte(',')
	}
	g.count++
	g.w.WriteByte('\n')
	if _, err := g.w.Write(b); err != nil {
		return err
	}
	return g.w.Flush()
}

func (g *geoJSONWriter) end() error {
	g.w.WriteString("\n]}\n")
	return g.w.Flush()
}
