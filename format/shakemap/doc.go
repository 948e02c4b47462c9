// Package shakemap reads the XML products of ShakeMap 3.5, the USGS software
// BMKG runs to map the ground shaking of an earthquake:
//
//   - grid.xml (root <shakemap_grid>, namespace
//     http://earthquake.usgs.gov/eqcenter/shakemap): the event, a regular
//     longitude/latitude grid and one row of numbers per grid node;
//   - stationlist.xml (root <shakemap-data>, usually with its DTD inline):
//     the event and the stations whose observed or derived motions
//     constrained the map;
//   - info.xml (root <info>): name/value tags such as GMPE, pga_max, mi_max.
//
// ShakeMap 4's JSON products (stationlist.json, a GeoJSON FeatureCollection,
// and info.json) are refused by name. grid.xml columns are placed by their
// grid_field index, so fields may be listed in any order and any subset.
//
// Elements and attributes are matched by local name, so a prefixed or
// unprefixed namespace reads the same. An inline DTD is skipped, never
// applied: entities it declares are not expanded (a reference to one is an
// error) and nothing external is fetched.
//
// Units stay those of the file: in ShakeMap 3.5 PGA and PSA are in percent
// of g ("pctg"), PGV in cm/s, MMI in intensity units. PctGToGal converts
// percent of g to gal (cm/s²).
//
// Times are returned in UTC. ShakeMap 3.5 writes the event time with a zone
// abbreviation ("2017-10-16T08:53:00WIB", timezone="GMT"). Known are WIB,
// WITA and WIT; UTC, UT, GMT and Z; the US zones (PST, PDT, ... HST, read
// as US even where an abbreviation means something else elsewhere); JST,
// NZST and NZDT; and numeric offsets (+07:00, +0700, UTC-3). An unknown
// abbreviation is an error rather than a guess; a missing zone is UTC.
package shakemap
