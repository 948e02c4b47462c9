// Package quakeml reads earthquake events from QuakeML 1.2 files, as
// exported by ISC, USGS, EMSC, GFZ and others.
//
// Elements are matched by local name only, so both the ISC style (a default
// namespace http://quakeml.org/xmlns/quakeml/1.2 on every element) and the
// USGS/EMSC style (a q:quakeml root with the BED namespace
// http://quakeml.org/xmlns/bed/1.2 as default) read the same.
//
// For each event: the origin is the one named by preferredOriginID, else the
// first; the magnitude is the one named by preferredMagnitudeID, else the
// first whose originID is that origin, else the first. Depth is converted
// from metres to km. The region is the description of type "Flinn-Engdahl
// region", else "region name", else "earthquake name", else the first
// description with text. Status is the origin's evaluationMode.
//
// Events whose type is "not existing" are rejected; events of other types
// (explosion, quarry blast, ...) are kept with the type in EventType.
//
// Parse returns the quake.Event every earthquake format returns. Record is
// the 1-based position of the event in the file; Feed is FeedQuakeML;
// EventID is the event's publicID; Magnitude is nil when the event has
// none; MagnitudeType is magnitude/type as given ("mb", "Mww"); Region is
// the chosen description text, whitespace collapsed; Status is the
// origin's evaluationMode ("manual", "automatic"); EventType is event/type
// as given ("earthquake", "explosion", "quarry blast"). Depths are below
// sea level, so quake.BelowSeaLevel bounds them. QuakeML carries no
// tsunami statement, felt report, ShakeMap, phase count or focal-mechanism
// link here, so those fields stay unset.
package quakeml
