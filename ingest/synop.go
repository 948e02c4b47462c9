package ingest

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/bmkg/mkggraph/format/synop"
	"github.com/bmkg/mkggraph/mkg"
)

// ingestSynop stores every report of every bulletin: Level 1 always (a
// report whose groups cannot all be decoded keeps its problems), Level 2
// as far as the decoder got. A SYNOP carries only day and hour; the month
// and year come from the WMO file name, else Options.ReferenceTime, else
// today.
func ingestSynop(ctx context.Context, in *Ingester, name string, data []byte, opt Options, s *Summary) error {
	f, err := synop.Parse(data)
	if err != nil {
		return err
	}
	ref, named := synop.ReferenceFromFilename(filepath.Base(name))
	reason := "the time in the file name"
	switch {
	case named:
	case !opt.ReferenceTime.IsZero():
		ref, reason = opt.ReferenceTime, "the given reference time"
	default:
		ref, reason = in.now(), "today's date (the file name carries no date; pass -reference-time to set it)"
	}
	for _, p := range f.Problems {
		s.reject(fmt.Sprintf("line %d", p.Line), "%s", p.Message)
	}
	var obs []mkg.Observation
	var pos []string
	for _, b := range f.Bulletins {
		for _, p := range b.Problems {
			s.reject(fmt.Sprintf("line %d", p.Line), "%s", p.Message)
		}
		for _, r := range b.Reports {
			s.Read++
			o, err := observation(&b, &r, ref, provenance(filepath.Base(name), opt))
			if err != nil {
				s.reject(fmt.Sprintf("line %d (station %q)", r.Line, r.Station), "%s", err)
				continue
			}
			if len(r.Problems) > 0 {
				s.Notes = append(s.Notes, fmt.Sprintf("station %s (line %d): %d group(s) not decoded, stored with the problems listed: %s",
					r.Station, r.Line, len(r.Problems), r.Problems[0].Message))
			}
			obs = append(obs, o)
			pos = append(pos, fmt.Sprintf("line %d (station %s)", r.Line, r.Station))
		}
	}
	s.Notes = append(s.Notes, completedNote(obs, reason, ref))
	return storeAll(ctx, obs, pos, s, opt, in.store.UpsertObservations)
}

// completedNote says how the reports' days and hours were completed, and
// the times they were stored at: a report's day is the latest day of that
// number at or before the reference (synop.ResolveTime), which may lie
// weeks before it.
func completedNote(obs []mkg.Observation, reason string, ref time.Time) string {
	note := fmt.Sprintf("report days and hours completed from %s (%s), each as the latest such day and hour at or before it",
		reason, ref.UTC().Format(time.RFC3339))
	if len(obs) == 0 {
		return note
	}
	byTime := func(a, b mkg.Observation) int { return a.ObservedAt.Compare(b.ObservedAt) }
	first, last := slices.MinFunc(obs, byTime).ObservedAt, slices.MaxFunc(obs, byTime).ObservedAt
	note += ": stored as " + first.UTC().Format(time.RFC3339)
	if !last.Equal(first) {
		note += " to " + last.UTC().Format(time.RFC3339)
	}
	return note
}

// provenance is the source, feed or network a record is stored with: as
// given, or marked synthetic.
func provenance(p string, opt Options) string {
	if opt.Synthetic {
		return mkg.Synthetic(p)
	}
	return p
}

func observation(b *synop.Bulletin, r *synop.Report, ref time.Time, source string) (mkg.Observation, error) {
	if !mkg.IsWMOIndex(r.Station) {
		return mkg.Observation{}, fmt.Errorf("station index %q is not 5 digits", r.Station)
	}
	t, err := r.Time(ref)
	if err != nil {
		return mkg.Observation{}, err
	}
	o := mkg.Observation{
		StationWMO: r.Station, ObservedAt: t, Text: r.Text, Nil: r.Nil, Source: source,
		Heading: mkg.BulletinHeading{TTAAii: b.Heading.TTAAii, CCCC: b.Heading.CCCC, YYGGgg: b.Heading.YYGGgg, BBB: b.Heading.BBB},
	}
	for _, p := range r.Problems {
		o.Problems = append(o.Problems, mkg.DecodeProblem{Group: p.Group, Section: p.Section, Message: p.Message})
	}
	o.Values = r.Decoded // the domain's SynopValues is the decoder's own type
	return o, nil
}
