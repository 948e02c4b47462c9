// Package aqicn reads the daily history CSV that the World Air Quality Index
// project (aqicn.org, WAQI) exports for a monitoring station:
//
//	date, pm25, pm10
//	2022/10/1, 86,
//	2015/9/17, , 93
//
// Each value is that day's US-EPA AQI for the pollutant (0–500 on the EPA
// scale, not a concentration in µg/m³ and not the Indonesian ISPU). Columns
// are found by header name after trimming spaces, in any case and order;
// date and at least one of the pollutant columns pm25 (or pm2.5), pm10,
// o3, no2, so2 and co are required, and other columns are ignored.
//
// Rows come in no particular order; Parse returns the days sorted by date.
// Blank cells and dashes are missing (nil); spaces around cells are
// ignored; "57.0" is 57. A row is rejected when its field count differs
// from the header's, the date is not a real YYYY/M/D (or YYYY-MM-DD) date
// between 1980 and tomorrow (UTC; WAQI dates are the station's local
// date), a value is not an integer in 0..999, no value at all is given, or
// the date already appeared earlier in the file (the first row wins).
package aqicn
