package mkg

import (
	"testing"
	"time"
)

func TestMaxAge(t *testing.T) {
	for _, c := range []struct {
		names []string
		limit time.Duration
		want  time.Duration
	}{
		{[]string{GenAccess, GenStations}, time.Hour, time.Minute},
		{[]string{GenAccess, GenStations, GenEarthquakes}, time.Hour, 5 * time.Second},
		{[]string{GenStations}, 30 * time.Second, 30 * time.Second},
		{[]string{GenStations, "unknown"}, time.Hour, 0},
		{nil, time.Minute, time.Minute},
		{[]string{GenStations}, -time.Second, 0},
	} {
		if got := MaxAge(c.names, c.limit); got != c.want {
			t.Errorf("MaxAge(%v, %v) = %v, want %v", c.names, c.limit, got, c.want)
		}
	}
}

func TestOpenToAll(t *testing.T) {
	p := NewPrincipal(nil, 0, "", map[Dataset]Classification{"OPENSET": Open, "REGSET": Registered}, time.Now())
	for _, c := range []struct {
		datasets []Dataset
		roles    []Role
		want     bool
	}{
		{nil, nil, true},
		{[]Dataset{"OPENSET"}, nil, true},
		{[]Dataset{"REGSET", "OPENSET"}, nil, true}, // any one of them opens the field
		{[]Dataset{"REGSET"}, nil, false},
		{[]Dataset{"UNCLASSIFIED"}, nil, false}, // counts as RESTRICTED
		{[]Dataset{"OPENSET"}, []Role{"ADMIN"}, false},
		{nil, []Role{"ADMIN"}, false},
	} {
		if got := p.OpenToAll(c.datasets, c.roles); got != c.want {
			t.Errorf("OpenToAll(%v, %v) = %v, want %v", c.datasets, c.roles, got, c.want)
		}
	}
}
