// Package bmkgquake parses BMKG's "Infogempa" earthquake feeds: autogempa
// (the latest event), gempaterkini (the latest M5.0+ events) and
// gempadirasakan (the latest felt events), in JSON and in XML, in the
// current layout published since 2021 under data.bmkg.go.id/DataMKG/TEWS/
// and in the legacy layout served before it.
//
// The package is pure: Parse takes the bytes of one file and returns what
// the file states, normalised (UTC times, signed decimal degrees, depth in
// km). It never guesses a value the file does not hold.
//
// # Layouts
//
// Current feeds carry Tanggal, Jam, DateTime (UTC), Coordinates ("lat,lon")
// or point/coordinates in XML, Lintang, Bujur, Magnitude, Kedalaman,
// Wilayah, Potensi, Dirasakan and Shakemap. Legacy feeds write dates as
// "08-Nov-13" (autogempa, gempaterkini) or "07/11/2013-17:47:32 WIB"
// (gempadirasakan), magnitudes with an " SR" suffix, depths with " Km",
// point/coordinates as KML "lon,lat" (autogempa, gempaterkini) or "lat, lon"
// (gempadirasakan, which also has Posisi and Keterangan and a capital
// <Gempa> element). Legacy autogempa names five places Wilayah1..Wilayah5.
//
// JSON and XML are read into the same field list, so a legacy feed converted
// to JSON, or a current feed served as XML, is read the same way.
//
// # Fields
//
// Parse returns the quake.Event every earthquake format returns. Record is
// the 1-based position of the record in the file; Feed is FeedAutogempa,
// FeedGempaterkini or FeedGempadirasakan, and Legacy is set for the
// pre-2021 layout. EventID and Status stay "": these feeds carry neither.
// MagnitudeType is "" unless the file states a type ("SR" is not one).
// Region is Wilayah, legacy Wilayah1 or Keterangan; Nearby holds legacy
// autogempa's Wilayah2..Wilayah5, nil otherwise. TsunamiPotential is
// Potensi as given; FeltText is Dirasakan exactly as given, trimmed, and
// Felt the same text parsed into places; Shakemap is the Shakemap file
// name as given. Phases, FocalMechanism and EventType stay unset.
//
// # Decisions
//
//   - The time comes from DateTime when present, else from Tanggal and Jam
//     with the zone WIB (UTC+7), WITA (UTC+8) or WIT (UTC+9). A local time
//     without a zone is rejected rather than assumed to be WIB.
//   - Coordinates are never trusted for their order alone. When Lintang and
//     Bujur (or Posisi) are present, the order that agrees with them is used
//     and a record where neither order agrees is rejected. Without them the
//     layout's documented order is used.
//   - "SR" (skala Richter) is the feed's generic magnitude label, not a
//     magnitude type, so MagnitudeType stays "" for it.
//   - Region is Wilayah, legacy Wilayah1 (the nearest place, the same text
//     legacy gempaterkini gives as Wilayah) or legacy Keterangan. Legacy
//     Wilayah2..Wilayah5 go to Event.Nearby in order.
//   - A Dirasakan segment that does not start with an MMI intensity (for
//     example "Lombok Barat" in "II-III Lombok Utara, Lombok Barat") is kept as
//     part of the previous place, because the feed gives it no intensity of
//     its own; FeltText keeps the full text for a reader to judge.
package bmkgquake
