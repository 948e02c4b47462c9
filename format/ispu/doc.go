// Package ispu reads the daily ISPU (Indeks Standar Pencemar Udara) CSV that
// DKI Jakarta publishes on data.jakarta.go.id, one row per station and day:
//
//	tanggal,stasiun,pm10,so2,co,o3,no2,max,critical,categori
//	1/1/2010,DKI1 (Bunderan HI),60,4,73,27,14,73,CO,SEDANG
//
// The pollutant columns hold ISPU sub-indices, not concentrations. Columns
// are found by header name, in any order and case, under the names of
// every yearly layout: the 2010–2021 files (tanggal, stasiun, pm10, pm25,
// so2, co, o3, no2, hc, max, critical, categori) and the later ones
// (periode_data, bulan, tanggal as the day of the month, stasiun,
// pm_sepuluh, pm_duakomalima, sulfur_dioksida, karbon_monoksida, ozon,
// nitrogen_dioksida, max, parameter_pencemar_kritis, kategori). Other
// columns are ignored. A file that uses ';' instead of ',' is read too.
//
// Dates are M/D/YYYY as published for 2010–2021, D/M/YYYY when the file's
// own dates show that order (a first field above 12, none in the second),
// YYYY-MM-DD (with or without a time), or split into periode_data (YYYY or
// YYYYMM) or tahun, bulan (number or month name) and tanggal. Station
// cells such as "DKI5 (Kebon Jeruk) Jakarta Barat" or "DKI1 Bunderan HI"
// give the code DKI5 and the name in parentheses, else the rest. Empty
// cells and dashes ("-", "---") are missing; a whole number written
// "55.0" is 55.
//
// Level 1 is kept as received: Max, Critical and Category are the file's own
// values, even where they disagree with the sub-indices (the server
// recomputes the index as Level 2). Such disagreements are listed in
// Day.Notes instead of rejecting the row:
//
//   - max below the largest sub-index present;
//   - the critical pollutant's own sub-index present and not equal to max
//     (a critical pollutant with no column, such as PM25 in a file without
//     pm25, cannot be checked: max above every column is then expected);
//   - the category not the one airquality.CategoryOf gives for max (the
//     ISPU2020 bands, copied here since format packages import nothing from
//     the module; the 1997 bands differ only at exactly 200 and 300).
//
// A row is rejected when its field count differs from the header's, the
// date is not a real date between 1997 (the first ISPU regulation) and
// today in Jakarta, the station is empty, a sub-index or max is not an
// integer or lies outside 0..1000, the critical pollutant is not one of
// PM10, PM25 (or PM2.5), SO2, CO, O3, NO2, HC, the category is not one of
// the five codes or TIDAK ADA DATA (no data: kept as no category, and then
// max must be empty), nothing at all was measured, or the station already
// had a row for that date (the first row wins).
//
// Days are returned sorted by date, then station.
package ispu
