// Package nealightning reads lightning strikes from CSV copies of the
// Singapore National Environment Agency's real-time lightning API
// (data.gov.sg, weather?api=lightning), as saved by scheduled scrapers.
//
// A file has a header row naming the columns fetch_time,
// observation_window, data_updated, latitude, longitude, strike_type,
// description and strike_time; columns are found by name, so their order
// does not matter, but every row must have as many fields as the header.
// Blank lines before it are skipped. The scraper writes the header only
// when it creates the file, so a file it appended to first has none: when
// the first line is a strike in the scraper's column order, that order is
// used. A header line further down, where files were joined, is skipped.
// Only the strike's own columns are read: fetch_time is the scraper's
// clock, with no stated zone, and the observation window and update time
// describe the API response, not the strike.
//
// strike_time is written either as "2025-04-10 03:22:00.860000+08:00"
// (Python's str of a datetime: space, microseconds) or as
// "2025-04-18T22:48:00.123+08:00" (ISO 8601: T, milliseconds); both, with
// or without fractional seconds and with any UTC offset, are read and
// converted to UTC. Fractional seconds are kept as written (NEA reports
// milliseconds; the microsecond form only pads them with zeros). A time
// without an offset is rejected rather than guessed. A position of 0, 0
// is what the scraper writes for a reading without a location, and is
// rejected.
//
// strike_type is "G", cloud to ground, which becomes Type "CG", or "C",
// which NEA describes as "Cloud to Cloud" and which becomes "IC": it
// stands for every discharge that does not reach the ground, within a
// cloud or between clouds, which ground networks usually call
// intra-cloud. The description must agree with the type.
//
// The API returns the strikes of a sliding window, so a scraper that
// polls it saves the same strike several times. Strikes with the same
// instant, position and type are kept once, at their first row, and
// Parse says how many repeats it dropped.
package nealightning
