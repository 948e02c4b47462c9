package mkg

import (
	"slices"
	"time"
)

// reuseFor is how long an answer built from each generation's data may be
// reused by an HTTP cache (a browser, a CDN in front of the instances)
// before it asks again: about how often those data change. Earthquakes
// come from feeds polled every few seconds; SYNOP reports come hourly; the
// station catalogue and the access rules change by hand.
var reuseFor = map[string]time.Duration{
	GenAccess:       time.Minute,
	GenStations:     5 * time.Minute,
	GenObservations: time.Minute,
	GenEarthquakes:  5 * time.Second,
}

// MaxAge is how long an answer built from the data of the generations
// named may be reused: the shortest of theirs, and at most limit. A name
// without a figure counts as data that may change at any time (0).
func MaxAge(names []string, limit time.Duration) time.Duration {
	age := limit
	for _, n := range names {
		age = min(age, reuseFor[n])
	}
	return max(age, 0)
}

// OpenToAll reports whether a field that needs any one of datasets (none:
// no dataset) and any one of roles (none: no role) gives every caller the
// same answer: it needs no role, and no dataset or one classified OPEN.
// An answer made only of such fields may be shared between callers.
func (p *Principal) OpenToAll(datasets []Dataset, roles []Role) bool {
	if len(roles) > 0 {
		return false
	}
	return len(datasets) == 0 || slices.ContainsFunc(datasets, func(d Dataset) bool { return p.Classification(d) == Open })
}
