// Package ingest loads data files into the store: it recognises a file's
// format from its content, parses it with the format's package, maps what
// the file states to domain records, stores them and reports, record by
// record, what was stored, updated, left unchanged or rejected and why.
// Good records are always stored, whatever is wrong with the others.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/reject"
	"github.com/bmkg/mkggraph/mkg"
)

// Store is what ingest writes to.
type Store interface {
	mkg.StationWriter
	mkg.ObservationWriter
	mkg.EarthquakeWriter
	mkg.RadarWriter
	mkg.SatelliteWriter
	mkg.LightningWriter
	mkg.ClimateStore
	mkg.AQStore
	mkg.GroundMotionStore
}

// MaxFileBytes bounds one input file; larger ones are refused before they
// are read into memory.
const MaxFileBytes = 256 << 20

// Options tune one ingest.
type Options struct {
	// ReferenceTime completes SYNOP report times (day and hour only) of
	// files whose name does not carry the time they were issued (WMO file
	// naming does); zero = now.
	ReferenceTime time.Time
	// Station names the station a file is for when the file does not say:
	// a WMO index for a climate CSV without its station block, a monitor
	// code for an aqicn.org export.
	Station string
	// SACUnit is the unit of SAC samples (g, m/s2, cm/s2, nm/s2): SAC
	// headers say only "acceleration".
	SACUnit string
	// Inventory is a StationXML document with the responses that turn
	// miniSEED counts into acceleration.
	Inventory []byte
	// Event is an event descriptor (event.json) for records whose file
	// states no earthquake (SAC, miniSEED).
	Event []byte
	// Progress, when set, is called as records are stored.
	Progress func(done, total int)
	// Synthetic marks every record of the file as made by a program, not
	// observed (mkg.Synthetic on its provenance: an observation's source,
	// an earthquake's feed, a strike's network, a climate day's or an
	// air-quality value's source and station operator). Only the formats
	// the volume generator writes accept it (SyntheticFormats).
	Synthetic bool
}

// SyntheticFormats are the formats a file marked Options.Synthetic may be in.
var SyntheticFormats = []string{"synop", "bmkg-realtime", "quakeml", "nea-lightning", "bmkg-dataonline", "jakarta-ispu"}

// Rejection is one record that was not stored.
type Rejection struct {
	Position string `json:"position"` // "record 12", "line 40" …
	Reason   string `json:"reason"`
}

// Summary is what one file did.
type Summary struct {
	File      string      `json:"file"`
	Format    string      `json:"format"`
	Read      int         `json:"read"`
	Inserted  int         `json:"inserted"`
	Updated   int         `json:"updated"`
	Unchanged int         `json:"unchanged"`
	Rejected  []Rejection `json:"rejected"`
	// StoreFailures counts the rejections that were the store's failure
	// (the database), not the record's: the same file may store them later.
	StoreFailures int `json:"storeFailures,omitempty"`
	// Notes are things worth knowing that are not rejections (e.g. a
	// corrected source error, decode problems kept on stored reports).
	Notes []string `json:"notes,omitempty"`
}

func (s *Summary) reject(pos, format string, args ...any) {
	s.Rejected = append(s.Rejected, Rejection{Position: pos, Reason: fmt.Sprintf(format, args...)})
}

// rejectAll reports what a parser rejected, each at "<unit> <record>", the
// unit being what the format counts its records in: line, row, record,
// feature, event or flash.
func (s *Summary) rejectAll(unit string, rejects []reject.Reject) {
	for _, r := range rejects {
		s.reject(fmt.Sprintf("%s %d", unit, r.Record), "%s", r.Reason)
	}
}

// count adds the outcomes of a batch; positions names each record for
// rejections.
func (s *Summary) count(results []mkg.WriteResult, positions []string) {
	for i, r := range results {
		switch r.Outcome {
		case mkg.Inserted:
			s.Inserted++
		case mkg.Updated:
			s.Updated++
		case mkg.Unchanged:
			s.Unchanged++
		default:
			var e *mkg.Error
			if !errors.As(r.Err, &e) || e.Code == mkg.EUNAVAILABLE || e.Code == mkg.EINTERNAL {
				s.StoreFailures++
			}
			s.reject(positions[i], "%s", clientMessage(r.Err))
		}
	}
}

// clientMessage is the part of a store error fit for a report: domain
// errors say what is wrong; anything else is a storage failure whose detail
// belongs in the log.
func clientMessage(err error) string {
	if err == nil {
		return "not stored"
	}
	var e *mkg.Error
	if errors.As(err, &e) {
		if e.Field != "" {
			return e.Field + ": " + e.Message
		}
		return e.Message
	}
	return "could not be stored (storage error, see the server log)"
}

// Ingester loads files.
type Ingester struct {
	store Store
	files mkg.FileStore // where file-backed data (radar, satellite) are kept; nil: refused
	log   *slog.Logger
	now   func() time.Time
	// observe, when set, is told what each file did (the server's metrics).
	observe func(*Summary, error)
}

// New returns an Ingester. Cached reads need no telling: the store advances
// the generation of whatever a write changes (mkg.Generations).
func New(store Store, log *slog.Logger) *Ingester {
	if log == nil {
		log = slog.Default()
	}
	return &Ingester{store: store, log: log, now: time.Now}
}

// WithFiles sets the file store radar and satellite files are kept in.
func (in *Ingester) WithFiles(files mkg.FileStore) *Ingester {
	in.files = files
	return in
}

// WithObserver has fn told what each file did, once it is done: its
// summary, and the error for the file as a whole.
func (in *Ingester) WithObserver(fn func(*Summary, error)) *Ingester {
	in.observe = fn
	return in
}

// File ingests one file. The error is for the file as a whole (unknown
// format, unreadable); record-level problems are in the summary.
func (in *Ingester) File(ctx context.Context, name string, data []byte, opt Options) (*Summary, error) {
	s, err := in.file(ctx, name, data, opt)
	if in.observe != nil {
		in.observe(s, err)
	}
	return s, err
}

func (in *Ingester) file(ctx context.Context, name string, data []byte, opt Options) (*Summary, error) {
	s := &Summary{File: filepath.Base(name)}
	if len(data) > MaxFileBytes {
		return s, fmt.Errorf("%s is %d bytes; the limit is %d", s.File, len(data), MaxFileBytes)
	}
	if p, ok, err := satelliteName(name); ok {
		s.Format = "himawari"
		if err != nil {
			return s, fmt.Errorf("%s: %w", s.File, err)
		}
		if err := in.ingestSatellite(ctx, name, data, p, s); err != nil {
			return s, fmt.Errorf("%s (himawari): %w", s.File, err)
		}
		return s, nil
	}
	f := detect(data)
	if f == nil {
		return s, fmt.Errorf("%s: format not recognised; known formats: %s", s.File, KnownFormats())
	}
	s.Format = f.name
	if opt.Synthetic && !slices.Contains(SyntheticFormats, f.name) {
		return s, fmt.Errorf("%s (%s): this format cannot be marked synthetic; formats that can: %s", s.File, f.name, strings.Join(SyntheticFormats, ", "))
	}
	if err := f.run(ctx, in, name, data, opt, s); err != nil {
		return s, fmt.Errorf("%s (%s): %w", s.File, f.name, err)
	}
	return s, nil
}

// KnownFormats lists the formats File recognises.
func KnownFormats() string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.name + " (" + f.describe + ")"
	}
	return strings.Join(names, "; ")
}

// batchSize is how many records are stored between progress reports.
const batchSize = 500

// storeAll writes records in batches, counting outcomes and reporting progress.
func storeAll[T any](ctx context.Context, recs []T, positions []string, s *Summary, opt Options,
	write func(context.Context, []T) ([]mkg.WriteResult, error)) error {
	for i := 0; i < len(recs); i += batchSize {
		j := min(i+batchSize, len(recs))
		res, err := write(ctx, recs[i:j])
		if err != nil {
			return err
		}
		s.count(res, positions[i:j])
		if opt.Progress != nil {
			opt.Progress(j, len(recs))
		}
	}
	return nil
}
