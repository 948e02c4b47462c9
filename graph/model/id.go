package model

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/bmkg/mkggraph/mkg"
)

// Global ID type names.
const (
	TypeStation     = "Station"
	TypeObservation = "Observation"
	TypeEarthquake  = "Earthquake"
	TypeAccount     = "Account"
	TypeAPIKey      = "ApiKey"
	TypeAuditEvent  = "AuditEvent"
	TypeTicket      = "AccessRequest"
	TypeRadarSite   = "RadarSite"
	TypeRadarScan   = "RadarScan"
	TypeSatellite   = "SatelliteProduct"
)

// NodeID returns the opaque global ID of an object.
func NodeID(typ string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + strconv.FormatInt(id, 10)))
}

// ParseNodeID reads a global ID. A malformed ID is reported as not found:
// to a client, an ID that could never exist and one that no longer exists
// are the same thing.
func ParseNodeID(s string) (typ string, id int64, err error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return "", 0, mkg.NotFound("object")
	}
	typ, num, ok := strings.Cut(string(raw), ":")
	id, perr := strconv.ParseInt(num, 10, 64)
	if !ok || perr != nil || id <= 0 {
		return "", 0, mkg.NotFound("object")
	}
	return typ, id, nil
}

// ParseTypedID reads a global ID that must name an object of type typ.
func ParseTypedID(s, typ string) (int64, error) {
	t, id, err := ParseNodeID(s)
	if err != nil || t != typ {
		return 0, mkg.NotFound(strings.ToLower(typ))
	}
	return id, nil
}

// TypeName names the GraphQL type of a resolved object (for the access
// check of fields that return an interface, like node).
func TypeName(v any) string {
	switch v.(type) {
	case *mkg.Station:
		return TypeStation
	case *mkg.Observation:
		return TypeObservation
	case *mkg.Earthquake:
		return TypeEarthquake
	case *mkg.Account:
		return TypeAccount
	case *mkg.APIKey:
		return TypeAPIKey
	case *mkg.AuditEvent:
		return TypeAuditEvent
	case *mkg.Ticket:
		return TypeTicket
	case *mkg.RadarSite:
		return TypeRadarSite
	case *mkg.RadarScan:
		return TypeRadarScan
	case *mkg.SatelliteProduct:
		return TypeSatellite
	}
	return ""
}
