// Package glm reads lightning flashes from GOES-R Geostationary Lightning
// Mapper Level-2 files, the Lightning Cluster-Filter Algorithm product
// (OR_GLM-L2-LCFA_G16_s…_e…_c….nc): netCDF-4 files of 20 seconds of
// observation, read here with the module's pure-Go HDF5 reader. Variables
// and attributes are those of the GOES-R Product User Guide, volume 5
// (L2+ products).
//
// # Which level
//
// The file holds a three-level hierarchy. An event is one pixel of the
// 8 km optical sensor that exceeded its threshold in one 2 ms frame; a
// group is the events of one frame that touch, roughly one optical pulse
// seen from above the cloud top; a flash is the groups close in space
// and time (16.5 km, 330 ms), roughly one lightning discharge. A
// catalogue of lightning strikes, comparable with ground networks that
// report strokes and flashes, wants one record per discharge, so this
// package keeps flashes: the time of the flash's first event (when the
// discharge began) and of its last, its energy-weighted centroid, total
// radiant energy, area and quality flag. Groups and events, tens of times
// more numerous and describing the light of a flash rather than another
// flash, are only counted.
//
// # Packed values
//
// Most flash variables are 16-bit integers packed with scale_factor and
// add_offset. The files are written by netCDF-Java, which cannot write
// unsigned types: unsigned shorts are stored as signed ones tagged
// _Unsigned = "true", so a raw -1 is 65535. The raw value is made
// unsigned first; then a raw value equal to _FillValue, or outside
// valid_range (both read the same way), is missing; then the scale and
// offset are applied. Where the variable or its scale and offset are
// 4-byte floats, values are rounded to float32 precision, as netCDF
// libraries unpack them, and given as the shortest decimal of that
// precision (3.9827817e-13 J, not 3.9827816547543404e-13).
//
// Times are offsets whose units attribute names both the unit and the
// epoch ("milliseconds since 2018-07-02 04:33:00.000" in 2018, "seconds
// since …" later); the attribute is read, not assumed. A bare unit
// ("seconds") counts from product_time, the start of the observations, as
// the Product User Guide defines the offsets, else from
// time_coverage_start. A file with no flashes (number_of_flashes = 0) is
// valid and gives none. Early files packed
// them as signed shorts, so a flash that began in the previous file has a
// negative offset. (For about three weeks of October–November 2018,
// GOES-16 files lacked the _Unsigned tag on unsigned time offsets; such
// times come out wrong and usually rejected here, as there is no tag to
// tell them apart.)
//
// A flash is rejected, with the reason, when a value it needs is missing,
// its position is not on the Earth, its first event comes after its last,
// or its times are not near the file's coverage: a flash may have begun
// before the file's start (by up to the clustering limit, 3.33 s in the
// sample), so times up to 5 s outside it are kept.
package glm
