// Package repogempa parses the daily origin lists of BMKG's earthquake
// repository (repogempa.bmkg.go.id): an HTML page whose <pre> block holds a
// header and then one row per event,
//
//	Date        Time           Lat      Lon     Dep M    MT   Region
//	2008/11/01  21:02:43.058   9.18 S  119.06 E  10 4.9   -   <a href=viewmap.php?...>Sumba Region, Indonesia </a>
//
// Times are UTC. Latitude carries N/S and longitude E/W. Depth is in km.
// The region is the text of a link to viewmap.php whose query repeats every
// field (tgl, ot, lat, ketlat, lon, ketlon, depth, mag, remark); the row is
// checked against it and refused when the two disagree. Older pages write
// the href unquoted with raw "&", newer ones quote it and escape "&amp;".
//
// On real pages the MT column is "-" or a "Yes" link to viewfm.php, the
// event's focal mechanism (moment tensor): it is not a magnitude type, so
// MagnitudeType stays "". Only a plain token that names a magnitude scale
// (for example "Mw" or "MLv") would be taken as one. The link's status
// parameter is "unset" on every page seen, so Status stays "" for it.
//
// Parse returns the quake.Event every earthquake format returns. Record is
// the 1-based position of the row among the page's data rows; Feed is
// FeedRepogempa; OriginTime has the page's precision (milliseconds);
// Region is the link text (else the link's remark), whitespace collapsed;
// Status is the link's status unless it is "unset"; FocalMechanism is set
// when the MT column links to a focal mechanism (viewfm.php). The page
// carries no event id, tsunami statement, felt report, ShakeMap, phase
// count or event type, so those fields stay unset.
package repogempa
