package ingest

import (
	"bytes"
	"context"
	"fmt"

	"github.com/bmkg/mkggraph/format/glm"
	"github.com/bmkg/mkggraph/format/nealightning"
	"github.com/bmkg/mkggraph/mkg"
)

// Network names of the lightning sources this server reads.
const (
	NetworkNEA = "NEA-SG" // Singapore's National Environment Agency network
)

func ingestNEALightning(ctx context.Context, in *Ingester, name string, data []byte, opt Options, s *Summary) error {
	parsed, rejects, dupes, err := nealightning.Parse(data)
	if err != nil {
		return err
	}
	s.rejectAll("line", rejects)
	if dupes > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("%d repeated strikes (the same strike in several fetches) counted once", dupes))
	}
	strikes := make([]mkg.Strike, 0, len(parsed))
	lines := make([]string, 0, len(parsed))
	for _, p := range parsed {
		strikes = append(strikes, mkg.Strike{Time: p.Time, Latitude: p.Latitude, Longitude: p.Longitude, Type: p.Type, Network: provenance(NetworkNEA, opt)})
		lines = append(lines, fmt.Sprintf("line %d", p.Row))
	}
	s.Read = len(parsed) + len(rejects)
	return in.storeStrikes(ctx, strikes, lines, opt, s)
}

func ingestGLM(ctx context.Context, in *Ingester, name string, data []byte, opt Options, s *Summary) error {
	f, err := glm.Parse(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	s.rejectAll("flash", f.Rejects)
	network := "GOES GLM " + f.Platform
	strikes := make([]mkg.Strike, 0, len(f.Flashes))
	ids := make([]string, 0, len(f.Flashes))
	for _, fl := range f.Flashes {
		energy := fl.EnergyJ
		strikes = append(strikes, mkg.Strike{Time: fl.Time, Latitude: fl.Latitude, Longitude: fl.Longitude,
			EnergyJ: &energy, AreaKm2: fl.AreaKm2, Network: network})
		ids = append(ids, fmt.Sprintf("flash id %d", fl.ID))
	}
	s.Read = len(f.Flashes) + len(f.Rejects)
	s.Notes = append(s.Notes, fmt.Sprintf("GLM Level 2 flashes kept (one per lightning flash); the file's %d groups and %d events describe their light and are not stored", f.Groups, f.Events))
	return in.storeStrikes(ctx, strikes, ids, opt, s)
}

// storeStrikes validates strikes and stores the good ones in bulk. Bulk
// inserts report only how many were new: the rest were already stored.
func (in *Ingester) storeStrikes(ctx context.Context, strikes []mkg.Strike, pos []string, opt Options, s *Summary) error {
	now := in.now()
	good := strikes[:0]
	for i := range strikes {
		if err := strikes[i].Validate(now); err != nil {
			s.reject(pos[i], "%s", clientMessage(err))
			continue
		}
		good = append(good, strikes[i])
	}
	const batch = 50_000
	for i := 0; i < len(good); i += batch {
		part := good[i:min(i+batch, len(good))]
		n, err := in.store.InsertStrikes(ctx, part)
		if err != nil {
			return err
		}
		s.Inserted += n
		s.Unchanged += len(part) - n
		if opt.Progress != nil {
			opt.Progress(i+len(part), len(good))
		}
	}
	return nil
}
