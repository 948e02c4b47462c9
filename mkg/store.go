package mkg

import (
	"context"
	"time"
)

// Store is everything the server keeps. The sqlstore package implements it
// on SQLite and PostgreSQL.
type Store interface {
	StationReader
	StationWriter
	ObservationReader
	ObservationWriter
	EarthquakeReader
	EarthquakeWriter
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// IsEmpty reports whether nothing has been stored yet (first start).
	IsEmpty(ctx context.Context) (bool, error)
}

// Cache keeps serialized results for a while, shared by every server
// instance that uses the same backend. A cache is an optimisation only:
// callers treat any error as a miss and carry on with the database.
type Cache interface {
	// Get returns the value, or ErrCacheMiss.
	Get(ctx context.Context, key string) ([]byte, error)
	// Set stores value for ttl.
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
	// Incr atomically increments a counter and returns the new value; used
	// for generation numbers that invalidate a whole namespace at once.
	Incr(ctx context.Context, key string) (int64, error)
	// Ping checks that the backend answers.
	Ping(ctx context.Context) error
}

// CacheStatus is a cache's health as /readyz reports it.
type CacheStatus struct {
	Backend   string    `json:"backend"` // redis or memory
	OK        bool      `json:"ok"`
	State     string    `json:"state"` // of its circuit breaker: closed, open or half-open
	Error     string    `json:"error,omitempty"`
	DownSince time.Time `json:"downSince,omitzero"`
}

// Generations number the states of each kind of data that is cached or
// derived elsewhere: every change to the data advances its generation in the
// change's own transaction, and whatever was derived under an older one is
// never served again. Cache keys carry them.
type Generations interface {
	// Generation returns the current generation of one of the names below.
	// It is current on the instance that made a change from its next call
	// on, and on every other instance within about a second. An error means
	// the database cannot tell; callers must then not serve derived data.
	Generation(ctx context.Context, name string) (int64, error)
}

// The generations kept (the rows of the generations table).
const (
	GenAccess       = "access"       // accounts, keys, grants, classifications
	GenStations     = "stations"     // the station catalogue
	GenObservations = "observations" // SYNOP observations
	GenEarthquakes  = "earthquakes"  // earthquake events and their feed reports
)

// GenerationNames lists every generation kept.
var GenerationNames = []string{GenAccess, GenStations, GenObservations, GenEarthquakes}

// ErrCacheMiss is returned by Cache.Get when there is no value.
var ErrCacheMiss = Errorf(ENOTFOUND, "cache miss")
