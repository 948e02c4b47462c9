// Package wdss2 reads radar sweeps stored as WDSS-II "RadialSet" and
// "SparseRadialSet" files: classic netCDF as written by the WDSS-II w2
// tools and by EEC EDGE's Vol2NetCDF converter.
//
// A radial set has dimensions Azimuth (rays) and Gate (bins); per-ray
// variables Azimuth, BeamWidth (EDGE spells it Beamwidth) and GateWidth in
// metres; and one data variable named by the TypeName attribute, which also
// names the moment (Reflectivity, Velocity, Zdr, ...). Global attributes
// give the radar's Latitude, Longitude and Height (metres), the start Time
// in Unix seconds plus FractionalTime, the Elevation (ElevationUnits,
// degrees), RangeToFirstGate in metres (0 when absent, as WDSS-II assumes;
// RangeToFirstGateUnits may say Kilometers), and the MissingData and
// RangeFolded markers. Extra attributes follow the
// "name-value"/"name-unit" convention listed in the attributes attribute;
// the site code is radarName-value.
//
// A dense set stores the data variable as (Azimuth, Gate). A sparse set
// stores only runs of cells: the data variable and pixel_x (ray),
// pixel_y (gate) and optional pixel_count (run length) share a pixel
// dimension, and a run continues along the gates and on into the next ray.
// Cells outside every run hold the data variable's BackgroundValue
// (MissingData when absent). A set of no runs has the pixel dimension as
// netCDF's record dimension, with no records.
//
// Parse reads the metadata, Decode also the values. Values equal to
// MissingData, RangeFolded (global or data variable attributes), WDSS-II's
// DataUnavailable (-99903), the data variable's missing_value or its fill
// value become NaN. Packed data (scale_factor, add_offset) is unpacked.
// Files whose DataType is a LatLonGrid, or anything else that is not a
// radial set, are refused with ErrNotRadialSet.
package wdss2
