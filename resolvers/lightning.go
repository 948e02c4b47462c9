package resolvers

import (
	"time"

	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/mkg"
)

func lightningFilter(bbox model.BoundingBoxInput, from, to time.Time) (mkg.LightningFilter, error) {
	f := mkg.LightningFilter{BBox: mkg.BBox{South: bbox.South, West: bbox.West, North: bbox.North, East: bbox.East}, From: from, To: to}
	return f, f.Validate()
}

func densityOf(g mkg.DensityGrid, cellKm float64, cells []mkg.DensityCell) *model.LightningDensity {
	d := &model.LightningDensity{CellSizeKm: cellKm, CellHeightDegrees: g.DLat, CellWidthDegrees: g.DLon, Rows: g.Rows, Columns: g.Cols,
		Cells: make([]*model.LightningDensityCell, len(cells))}
	for i, c := range cells {
		b := g.Bounds(c.Row, c.Col)
		d.Cells[i] = &model.LightningDensityCell{Row: c.Row, Column: c.Col, South: b.South, West: b.West, North: b.North, East: b.East, Count: c.Count}
		d.Total += c.Count
	}
	return d
}
