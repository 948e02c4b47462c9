// Package cfradial catalogues CfRadial 1.x radar volumes stored as
// netCDF-4 (HDF5) files, from the files' own contents: site, location,
// time coverage, sweeps and the moments (fields) each sweep carries.
//
// It reads netCDF-4 through format/hdf5 and follows the netCDF-4
// conventions that matter here: variables are datasets in the root group,
// char variables are arrays of one-byte strings (one string per row of
// the last dimension), and datasets whose NAME attribute begins "This is
// a netCDF dimension but not a netCDF variable" are dimensions, not
// variables. Classic (netCDF-3) CfRadial files are not HDF5 and are
// refused.
//
// What comes from where:
//   - SiteCode is the instrument_name global attribute and SiteName the
//     site_name one, each as stated, possibly empty: the JMA files leave
//     instrument_name empty and put the station number in site_name.
//   - Latitude, longitude and altitude are the scalar variables of those
//     names; BeamWidthDeg is the radar_beam_width_h variable, else the
//     global attribute of that name, else nil.
//   - Start and End are time_coverage_start/end (variable or global
//     attribute); failing those, the earliest and latest ray time.
//     A sweep starts at its first ray's time: the time variable, in the
//     units it states ("seconds since ..."), rounded to the millisecond.
//   - Range geometry is taken from the range coordinate variable itself
//     (first gate and the step between the first two gates), not from the
//     meters_to_center_of_first_gate / meters_between_gates attributes,
//     which Py-ART's example file leaves at their values before the file
//     was thinned (60 m stated, 960 m in the data).
//   - Moments are the two-dimensional (time, range) variables, in file
//     order; in a file with rays of varying length (ray_n_gates, with
//     ray_start_index or rays packed in order) the one-dimensional
//     n_points variables, a sweep's Bins its longest ray, and Decode pads
//     shorter rays with NaN; Quantity is the ODIM-H5 name derived from standard_name,
//     else from common field names, else "".
//   - ScanType is "RHI" when every sweep_mode is an RHI mode, "PPI" for a
//     single sweep in a PPI mode (azimuth_surveillance, sector,
//     manual_ppi), "VOLUME" for several; otherwise the scan_type global
//     attribute in upper case, else "".
package cfradial
