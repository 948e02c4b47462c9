package resolvers

import (
	"time"

	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/mkg"
)

// feedInput is a validated feed configuration; errors name the field.
func (r *Resolver) feedInput(in model.FeedInput) (mkg.FeedInput, error) {
	out := mkg.FeedInput{Name: in.Name, Kind: in.Kind, URL: deref(in.URL), Path: deref(in.Path), Format: deref(in.Format),
		Interval: time.Duration(in.IntervalSeconds) * time.Second, Enabled: in.Enabled, Description: deref(in.Description)}
	if in.IntervalSeconds < 0 || in.IntervalSeconds > int(mkg.MaxFeedInterval/time.Second) {
		out.Interval = -1 // out of range, and kept from overflowing
	}
	return out, out.Validate("input", r.FeedFormats)
}
