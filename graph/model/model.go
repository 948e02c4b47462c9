// Package model holds the GraphQL-only types: connections, edges, page info,
// the Node interface and the DateTime scalar. Everything else the schema
// returns is a domain type from package mkg, bound in gqlgen.yml.
package model

import "github.com/bmkg/mkggraph/mkg"

// Node is any object with a global ID (the schema's Node interface). It is
// empty on purpose: domain types know nothing of GraphQL, and the generated
// code dispatches on their concrete types.
type Node any

// PageInfo is the Relay page information.
type PageInfo struct {
	HasNextPage     bool    `json:"hasNextPage"`
	HasPreviousPage bool    `json:"hasPreviousPage"`
	StartCursor     *string `json:"startCursor,omitempty"`
	EndCursor       *string `json:"endCursor,omitempty"`
}

// StationConnection is a page of stations; Filter is kept for totalCount,
// which is only counted when asked for.
type StationConnection struct {
	Edges    []*StationEdge
	PageInfo *PageInfo
	Filter   mkg.StationFilter
}

// StationEdge is a station in a list.
type StationEdge struct {
	Cursor     string
	Node       *mkg.Station
	DistanceKm *float64
}

// ObservationConnection is a page of observations. StationWMO is set when
// the list is a station's own (Station.observations), so that its count goes
// through the per-station loader.
type ObservationConnection struct {
	Edges      []*ObservationEdge
	PageInfo   *PageInfo
	Filter     mkg.ObservationFilter
	StationWMO string
	// Empty is set for a list known to be empty without asking (a station
	// without a WMO index sends no SYNOP reports).
	Empty bool
}

// ObservationEdge is an observation in a list.
type ObservationEdge struct {
	Cursor string
	Node   *mkg.Observation
}

// EarthquakeConnection is a page of earthquakes.
type EarthquakeConnection struct {
	Edges    []*EarthquakeEdge
	PageInfo *PageInfo
	Filter   mkg.EarthquakeFilter
}

// EarthquakeEdge is an earthquake in a list.
type EarthquakeEdge struct {
	Cursor     string
	Node       *mkg.Earthquake
	DistanceKm *float64
}

// IssuedAPIKey is a new key with its record; the key is shown only here.
type IssuedAPIKey struct {
	Key    string
	APIKey *mkg.APIKey
}

// AccountConnection is a page of accounts.
type AccountConnection struct {
	Edges    []*AccountEdge
	PageInfo *PageInfo
	Filter   mkg.AccountFilter
}

// AccountEdge is an account in a list.
type AccountEdge struct {
	Cursor string
	Node   *mkg.Account
}

// AuditEventConnection is a page of the audit log.
type AuditEventConnection struct {
	Edges    []*AuditEventEdge
	PageInfo *PageInfo
}

// UsageLineConnection is a page of usage lines.
type UsageLineConnection struct {
	Edges    []*UsageLineEdge
	PageInfo *PageInfo
}

// UsageLineEdge is a usage line in a list.
type UsageLineEdge struct {
	Cursor string
	Node   *mkg.Usage
}

// AuditEventEdge is an audit event in a list.
type AuditEventEdge struct {
	Cursor string
	Node   *mkg.AuditEvent
}

// RequestLetter is a ticket's letter with the address staff download it at.
type RequestLetter struct {
	mkg.Letter
	URL string
}

// AccessRequestConnection is a page of the ticket queue.
type AccessRequestConnection struct {
	Edges    []*AccessRequestEdge
	PageInfo *PageInfo
	Filter   mkg.TicketFilter
}

// AccessRequestEdge is a ticket in a list.
type AccessRequestEdge struct {
	Cursor string
	Node   *mkg.Ticket
}

// RadarScanConnection is a page of radar scans.
type RadarScanConnection struct {
	Edges    []*RadarScanEdge
	PageInfo *PageInfo
}

// RadarScanEdge is a radar scan in a list.
type RadarScanEdge struct {
	Cursor string
	Node   *mkg.RadarScan
}

// SatelliteProductConnection is a page of satellite products.
type SatelliteProductConnection struct {
	Edges    []*SatelliteProductEdge
	PageInfo *PageInfo
}

// SatelliteProductEdge is a satellite product in a list.
type SatelliteProductEdge struct {
	Cursor string
	Node   *mkg.SatelliteProduct
}

// Deletion is what a deletion removed.
type Deletion struct {
	ID           string
	FilesRemoved int
}

// LightningStrikeConnection is a page of strikes.
type LightningStrikeConnection struct {
	Edges    []*LightningStrikeEdge
	PageInfo *PageInfo
}

// LightningStrikeEdge is a strike in a list.
type LightningStrikeEdge struct {
	Cursor string
	Node   *mkg.Strike
}

// LightningDensity is a density grid with its non-empty cells.
type LightningDensity struct {
	CellSizeKm        float64
	CellHeightDegrees float64
	CellWidthDegrees  float64
	Rows, Columns     int
	Total             int
	Cells             []*LightningDensityCell
}

// LightningDensityCell is one non-empty cell.
type LightningDensityCell struct {
	Row, Column              int
	South, West, North, East float64
	Count                    int
}

// ClimateFlag is the API's name of a climate value's flag.
type ClimateFlag string

// CompassReading is a day's prevailing wind direction.
type CompassReading struct {
	Direction *string
	Flag      ClimateFlag
}
