// Package strongmotion holds what the accelerogram readers (format/knet,
// format/sac, format/miniseed) have in common: one component of ground
// acceleration as a Record, and the few numbers derived from it — peak
// ground acceleration, an estimate of peak ground velocity, instrumental
// intensity and epicentral distance — plus the small event descriptor files
// (event.json) that accompany the sample recordings.
//
// Nothing here corrects for the instrument response or filters the signal:
// PGA is read straight from the mean-removed acceleration, and PGV is an
// estimate (see PGV). Processing packages such as USGS gmprocess band-pass
// filter before integrating, so their PGV can differ from ours, mostly for
// long records with baseline drift.
package strongmotion
