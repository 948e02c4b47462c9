// Package bmkgrealtime parses BMKG's realtime earthquake catalogue, a
// GeoJSON FeatureCollection of Point features whose properties are id
// ("bmg2022suve"), time ("2022-09-25 13:03:33.941369", UTC), mag, place
// (Flinn-Engdahl region), fase (phase count), status ("M" manual, "A"
// automatic) and depth (km), and whose geometry is [lon, lat, z].
//
// BMKG writes every value as a string, but copies of the feed carry
// numbers; both are read. The third coordinate is a constant placeholder
// (1) in the feed, not a depth, so depth comes only from properties.depth.
// A numeric time is read as Unix time (milliseconds when it is too large to
// be seconds), the convention of GeoJSON earthquake feeds.
//
// Parse returns the quake.Event every earthquake format returns. Record is
// the 1-based position of the feature in the file; Feed is FeedRealtime;
// EventID is properties.id; MagnitudeType is properties.magType when
// present; Region is properties.place, whitespace collapsed; Status is
// properties.status as given; Phases is properties.fase, nil when absent.
// The feed carries no tsunami statement, felt report, ShakeMap, focal
// mechanism or event type, so those fields stay unset.
package bmkgrealtime
