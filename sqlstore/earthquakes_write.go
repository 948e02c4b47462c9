package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// UpsertEarthquakes implements mkg.EarthquakeWriter: each report in its own
// transaction, matched against the events stored near its origin time.
func (s *Store) UpsertEarthquakes(ctx context.Context, reps []mkg.EarthquakeReport) ([]mkg.WriteResult, error) {
	return upsertEach(ctx, s, reps, func(r *mkg.EarthquakeReport) error { return r.Validate(s.now()) }, s.upsertEarthquake, mkg.GenEarthquakes)
}

func (s *Store) upsertEarthquake(ctx context.Context, q sqlx.ExtContext, r *mkg.EarthquakeReport) (mkg.WriteResult, error) {
	match, err := s.matchEarthquake(ctx, q, r)
	if err != nil {
		return mkg.WriteResult{}, err
	}
	now := s.now().UTC()
	if match == nil {
		e := &mkg.Earthquake{CreatedAt: now, UpdatedAt: now}
		e.AddReport(r, now)
		e.Rebuild()
		if err := s.insertEarthquake(ctx, q, e); err != nil {
			return mkg.WriteResult{}, err
		}
		counts := dayCounts{}
		counts.add(countEarthquakes, allKeys, e.OriginTime, 1)
		if err := s.saveDayCounts(ctx, q, counts); err != nil {
			return mkg.WriteResult{}, err
		}
		return mkg.WriteResult{Outcome: mkg.Inserted, ID: e.ID}, s.writeSources(ctx, q, e)
	}
	before := *match
	feeds := len(match.Sources)
	match.AddReport(r, now)
	match.Rebuild()
	outcome := mkg.Unchanged
	if !match.SameValues(&before) || len(match.Sources) != feeds {
		outcome = mkg.Updated
		match.UpdatedAt = now
		if err := s.updateEarthquake(ctx, q, match); err != nil {
			return mkg.WriteResult{}, err
		}
		// A revised origin time may move the event to another day.
		counts := dayCounts{}
		counts.add(countEarthquakes, allKeys, before.OriginTime, -1)
		counts.add(countEarthquakes, allKeys, match.OriginTime, 1)
		if err := s.saveDayCounts(ctx, q, counts); err != nil {
			return mkg.WriteResult{}, err
		}
	}
	return mkg.WriteResult{Outcome: outcome, ID: match.ID}, s.writeSources(ctx, q, match)
}

// matchEarthquake finds the stored event a report belongs to: the candidates
// are the events with its agency id, those its feed already reported under
// the same id, and those within the time tolerance; mkg.MatchScore decides.
func (s *Store) matchEarthquake(ctx context.Context, q sqlx.ExtContext, r *mkg.EarthquakeReport) (*mkg.Earthquake, error) {
	var w where
	if r.EventID != "" {
		w.add("q.event_id = ?", r.EventID)
	}
	if r.SourceEventID != "" {
		w.add("q.id IN (SELECT earthquake_id FROM earthquake_sources WHERE feed = ? AND source_event_id = ?)", r.Feed, r.SourceEventID)
	}
	w.add("q.origin_time BETWEEN ? AND ?", dbTime{r.OriginTime.Add(-mkg.MatchTimeTolerance)}, dbTime{r.OriginTime.Add(mkg.MatchTimeTolerance)})
	cond := w.conds[0]
	for _, c := range w.conds[1:] {
		cond += " OR " + c
	}
	cands, err := s.selectEarthquakes(ctx, q, s.rebind("SELECT "+earthquakeColumns+" FROM earthquakes q WHERE "+cond), w.args...)
	if err != nil || len(cands) == 0 {
		return nil, err
	}
	if err := s.attachSourcesWith(ctx, q, cands); err != nil {
		return nil, err
	}
	var best *mkg.Earthquake
	bestScore := 0.0
	for _, c := range cands {
		if score, ok := mkg.MatchScore(c, r); ok && (best == nil || score < bestScore) {
			best, bestScore = c, score
		}
	}
	return best, nil
}

func (s *Store) insertEarthquake(ctx context.Context, q sqlx.ExtContext, e *mkg.Earthquake) error {
	felt, err := json.Marshal(nonNil(e.Felt))
	if err != nil {
		return err
	}
	err = sqlx.GetContext(ctx, q, &e.ID, s.rebind(`INSERT INTO earthquakes (event_id, origin_time, latitude, longitude, depth_km,
		magnitude, magnitude_type, region, tsunami_potential, felt_text, felt_json, shakemap, evaluation_status, solution_feed,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		nullString(e.EventID), dbTime{e.OriginTime}, e.Latitude, e.Longitude, e.DepthKm, e.Magnitude, e.MagnitudeType, e.Region,
		e.TsunamiPotential, e.FeltText, string(felt), e.Shakemap, e.EvaluationStatus, e.SolutionFeed, dbTime{e.CreatedAt}, dbTime{e.UpdatedAt})
	return s.wrap(err)
}

func (s *Store) updateEarthquake(ctx context.Context, q sqlx.ExtContext, e *mkg.Earthquake) error {
	felt, err := json.Marshal(nonNil(e.Felt))
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, s.rebind(`UPDATE earthquakes SET event_id = ?, origin_time = ?, latitude = ?, longitude = ?,
		depth_km = ?, magnitude = ?, magnitude_type = ?, region = ?, tsunami_potential = ?, felt_text = ?, felt_json = ?,
		shakemap = ?, evaluation_status = ?, solution_feed = ?, updated_at = ? WHERE id = ?`),
		nullString(e.EventID), dbTime{e.OriginTime}, e.Latitude, e.Longitude, e.DepthKm, e.Magnitude, e.MagnitudeType, e.Region,
		e.TsunamiPotential, e.FeltText, string(felt), e.Shakemap, e.EvaluationStatus, e.SolutionFeed, dbTime{e.UpdatedAt}, e.ID)
	return s.wrap(err)
}

// writeSources rewrites the event's feed list (a handful of rows).
func (s *Store) writeSources(ctx context.Context, q sqlx.ExtContext, e *mkg.Earthquake) error {
	if _, err := q.ExecContext(ctx, s.rebind(`DELETE FROM earthquake_sources WHERE earthquake_id = ?`), e.ID); err != nil {
		return s.wrap(err)
	}
	for _, src := range e.Sources {
		report, err := json.Marshal(src.Report)
		if err != nil {
			return err
		}
		_, err = q.ExecContext(ctx, s.rebind(`INSERT INTO earthquake_sources (earthquake_id, feed, source_event_id, report, first_seen_at, last_seen_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`), e.ID, src.Feed, src.SourceEventID, string(report), dbTime{src.FirstSeenAt}, dbTime{src.LastSeenAt})
		if err != nil {
			return s.wrap(err)
		}
	}
	return nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
