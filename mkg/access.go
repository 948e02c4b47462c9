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

// Role is a staff role. Roles run the service; they do not by themselves
// give access to data (a staff account is granted datasets like any other).
type Role string

const (
	RoleServiceDesk Role = "SERVICE_DESK"
	RoleOfficer     Role = "OFFICER"
	RoleAdmin       Role = "ADMIN"
)

// Roles lists every role.
var Roles = []Role{RoleServiceDesk, RoleOfficer, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// AccountStatus is an account's standing.
type AccountStatus string

const (
	AccountActive    AccountStatus = "ACTIVE"
	AccountSuspended AccountStatus = "SUSPENDED" // keys still identify it; it sees open data only
	AccountRevoked   AccountStatus = "REVOKED"   // keys are refused
)

// ClientApplication is the application an account's keys are for, as the
// API-access request describes it.
type ClientApplication struct {
	Name          string   `json:"name"`
	Description   string   `json:"description,omitempty"`
	Platform      string   `json:"platform,omitempty"`
	CallbackURL   string   `json:"callbackUrl,omitempty"`
	SourceAddress []string `json:"sourceAddresses,omitempty"`
	CallsPerDay   *int     `json:"callsPerDay,omitempty"`
}

// Account is an API account: a partner's, or a staff member's.
type Account struct {
	ID           int64
	Organisation string
	ContactName  string
	ContactEmail string
	ContactPhone string
	Application  ClientApplication
	Status       AccountStatus
	StatusReason string
	ValidUntil   *time.Time // e.g. the end of the cooperation agreement
	Roles        []Role
	Grants       []Grant
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// HasRole reports whether the account holds the role.
func (a *Account) HasRole(r Role) bool { return a != nil && slices.Contains(a.Roles, r) }

// Expired reports whether the account's validity has ended at now.
func (a *Account) Expired(now time.Time) bool {
	return a.ValidUntil != nil && !now.Before(*a.ValidUntil)
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

// APIKey is an issued key, without its secret: only a hash is kept.
type APIKey struct {
	ID           int64
	AccountID    int64
	Prefix       string // public part, e.g. "mkg_1a2b3c4d": identifies the key in lists and logs
	Label        string
	CreatedAt    time.Time
	ExpiresAt    *time.Time
	LastUsedAt   *time.Time
	RevokedAt    *time.Time
	RevokeReason string
}

// Active reports whether the key may be used at now: not revoked, not
// expired. (Its account's state is the account's.)
func (k *APIKey) Active(now time.Time) bool {
	return k.RevokedAt == nil && (k.ExpiresAt == nil || now.Before(*k.ExpiresAt))
}

// AccountInput is what an admin (or the ticket workflow) gives to create or
// change an account.
type AccountInput struct {
	Organisation string
	ContactName  string
	ContactEmail string
	ContactPhone string
	Application  ClientApplication
	ValidUntil   *time.Time
	Roles        []Role
}

// Validate checks the input; now rejects a validity end in the past.
func (in *AccountInput) Validate(now time.Time) error {
	switch {
	case strings.TrimSpace(in.Organisation) == "":
		return Invalid("input.organisation", "organisation is required")
	case strings.TrimSpace(in.ContactName) == "":
		return Invalid("input.contactName", "contact name is required")
	case !plausibleEmail(in.ContactEmail):
		return Invalid("input.contactEmail", "%q is not an e-mail address", in.ContactEmail)
	case in.ValidUntil != nil && !in.ValidUntil.After(now):
		return Invalid("input.validUntil", "validity end %s is in the past", in.ValidUntil.UTC().Format(time.RFC3339))
	}
	for _, r := range in.Roles {
		if !r.Valid() {
			return Invalid("input.roles", "unknown role %q; roles are SERVICE_DESK, OFFICER, ADMIN", r)
		}
	}
	if u := in.Application.CallbackURL; u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return Invalid("input.application.callbackUrl", "callback URL must start with https:// or http://")
	}
	return nil
}

func plausibleEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-3 && strings.Contains(s[at:], ".") && !strings.ContainsAny(s, " \t\r\n<>")
}

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

// CheckKeyIssue applies the rules of issuing a key to acct at now.
func CheckKeyIssue(acct *Account, expiresAt *time.Time, now time.Time) error {
	switch {
	case acct.Status == AccountRevoked:
		return Invalid("accountId", "account %d is revoked: it cannot get keys", acct.ID)
	case expiresAt != nil && !expiresAt.After(now):
		return Invalid("expiresAt", "expiry %s is in the past", expiresAt.UTC().Format(time.RFC3339))
	}
	return nil
}

// CheckStatusChange applies the rules of changing an account's status:
// revocation is final.
func CheckStatusChange(acct *Account, to AccountStatus) error {
	switch to {
	case AccountActive, AccountSuspended, AccountRevoked:
	default:
		return Invalid("status", "unknown status %q; statuses are ACTIVE, SUSPENDED, REVOKED", to)
	}
	if acct.Status == AccountRevoked && to != AccountRevoked {
		return Invalid("status", "account %d is revoked; revocation cannot be undone", acct.ID)
	}
	return nil
}
