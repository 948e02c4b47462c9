package mkg

import (
	"slices"
	"strings"
	"time"
)

// Dataset is a kind of Data MKG at one level, the unit access is granted
// in (2015 regulation: access by the data kind's classification and the
// requester's rights; Level 1 raw data distinct from Level 2 processed).
type Dataset string

const (
	DatasetStations           Dataset = "STATION_METADATA"
	DatasetSynopL1            Dataset = "SYNOP_L1"
	DatasetSynopL2            Dataset = "SYNOP_L2"
	DatasetSatellite          Dataset = "SATELLITE"
	DatasetRadarVolume        Dataset = "RADAR_VOLUME"
	DatasetRadarNetCDF        Dataset = "RADAR_NETCDF"
	DatasetRadarImage         Dataset = "RADAR_IMAGE"
	DatasetClimateL1          Dataset = "CLIMATE_L1"
	DatasetClimateL2          Dataset = "CLIMATE_L2"
	DatasetAirQualityL1       Dataset = "AIR_QUALITY_L1"
	DatasetAirQualityL2       Dataset = "AIR_QUALITY_L2"
	DatasetEarthquake         Dataset = "EARTHQUAKE"
	DatasetLightning          Dataset = "LIGHTNING"
	DatasetGroundAcceleration Dataset = "GROUND_ACCELERATION"
)

// Datasets lists every dataset, in the order the API documents them.
var Datasets = []Dataset{DatasetStations, DatasetSynopL1, DatasetSynopL2, DatasetSatellite, DatasetRadarVolume,
	DatasetRadarNetCDF, DatasetRadarImage, DatasetClimateL1, DatasetClimateL2, DatasetAirQualityL1, DatasetAirQualityL2,
	DatasetEarthquake, DatasetLightning, DatasetGroundAcceleration}

// Valid reports whether d is a known dataset.
func (d Dataset) Valid() bool { return slices.Contains(Datasets, d) }

// ParseDataset reads a dataset name given by a client; field names the
// argument for the error.
func ParseDataset(s, field string) (Dataset, error) {
	d := Dataset(strings.TrimSpace(s))
	if !d.Valid() {
		names := make([]string, len(Datasets))
		for i, x := range Datasets {
			names[i] = string(x)
		}
		return "", Invalid(field, "unknown dataset %q; datasets are %s", s, strings.Join(names, ", "))
	}
	return d, nil
}

// Classification is who may see a dataset.
type Classification string

const (
	Open       Classification = "OPEN"       // anyone, anonymous callers included
	Registered Classification = "REGISTERED" // any active account
	Restricted Classification = "RESTRICTED" // accounts granted the dataset
)

// ParseClassification reads a classification given by a client.
func ParseClassification(s, field string) (Classification, error) {
	switch c := Classification(strings.TrimSpace(s)); c {
	case Open, Registered, Restricted:
		return c, nil
	}
	return "", Invalid(field, "unknown classification %q; classifications are OPEN, REGISTERED, RESTRICTED", s)
}

// DefaultClassifications follow what the agency publishes openly today:
// earthquake information, station metadata, radar images and the daily
// air-quality index are public; processed observations, climate records and
// satellite products need an account (as on the agency's data portal);
// Level 1 data, radar volumes and netCDF, lightning and ground acceleration
// are granted per account. They are seeded once; admins change them at run
// time.
var DefaultClassifications = map[Dataset]Classification{
	DatasetStations:           Open,
	DatasetEarthquake:         Open,
	DatasetRadarImage:         Open,
	DatasetAirQualityL2:       Open,
	DatasetSynopL2:            Registered,
	DatasetClimateL2:          Registered,
	DatasetSatellite:          Registered,
	DatasetSynopL1:            Restricted,
	DatasetClimateL1:          Restricted,
	DatasetAirQualityL1:       Restricted,
	DatasetRadarVolume:        Restricted,
	DatasetRadarNetCDF:        Restricted,
	DatasetLightning:          Restricted,
	DatasetGroundAcceleration: Restricted,
}

// Grant gives an account a dataset, until ExpiresAt when set.
type Grant struct {
	Dataset   Dataset
	ExpiresAt *time.Time
	GrantedAt time.Time
	GrantedBy string
}

// Active reports whether the grant holds at now.
func (g Grant) Active(now time.Time) bool { return g.ExpiresAt == nil || now.Before(*g.ExpiresAt) }

// CheckGrant applies the rules of granting d to acct at now, naming the
// argument at fault: a revoked account gets nothing, a dataset already
// granted (and not expired) is not granted twice, and an expiry must lie
// ahead.
func CheckGrant(acct *Account, d Dataset, expiresAt *time.Time, now time.Time) error {
	switch {
	case !d.Valid():
		_, err := ParseDataset(string(d), "dataset")
		return err
	case acct.Status == AccountRevoked:
		return Invalid("accountId", "account %d is revoked: it cannot be granted data", acct.ID)
	case expiresAt != nil && !expiresAt.After(now):
		return Invalid("expiresAt", "expiry %s is in the past", expiresAt.UTC().Format(time.RFC3339))
	}
	for _, g := range acct.Grants {
		if g.Dataset == d && g.Active(now) {
			return Invalid("dataset", "account %d already holds %s; remove the grant first to change it", acct.ID, d)
		}
	}
	return nil
}
