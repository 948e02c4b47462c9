// Package dataonline reads the daily climate exports of BMKG's "Data Online"
// portal (dataonline.bmkg.go.id, laporan_iklim_harian.xlsx), and CSV files
// that carry the same columns, such as the processed tables people publish
// after cleaning those exports with pandas.
//
// An export is a one-sheet workbook: a station block (ID WMO, Nama Stasiun,
// Lintang, Bujur, Elevasi, each value written after ":  "), a header row
// starting at "Tanggal", one row per day, then a legend ("Keterangan", the
// meaning of 8888 and 9999, the units). The header may hold any subset of the
// ten parameters, in any order. The legend ends the data; it is never read as
// days. Dates are text dd-mm-yyyy (or d/m/yyyy as an Indonesian-locale
// spreadsheet rewrites it, m/d/yyyy when the file's own dates show that
// order, or ISO yyyy-mm-dd), a numeric Excel date serial in either of
// Excel's date systems, or an ISO date cell (t="d"). Values may be stored
// as numbers or as text, with a decimal point or an Indonesian decimal
// comma; a cell holding only "-" is empty.
//
// The sheet is found as the packaging conventions say: _rels/.rels names
// the workbook, the workbook's first worksheet (chart sheets skipped) is
// resolved through its relationships, whatever the part is called. Shared,
// rich-text and inline strings are all read.
//
// The workbook is read by a small reader of its own (archive/zip and
// encoding/xml): it is strict about structure, and checks every size
// (archive entries, decompressed parts, rows, columns, cells) before it
// allocates for it, because an upload is untrusted. The decompressed size
// is enforced while reading, not taken from the archive's word for it.
//
// BMKG codes 8888 (not measurable, e.g. trace rain) and 9999 (no data) are
// flags, never numbers; an empty cell is MISSING. A day that cannot be
// trusted (bad date, duplicate date, impossible or non-numeric value) is
// rejected as a whole with a reason, and the other days still load: one
// corrupt row should not hide a month of observations, and half a row is
// worse than none for climate statistics. Only problems with the file as a
// whole (not a workbook or CSV, no Tanggal column, a unit the parser does
// not expect) make Parse fail.
package dataonline
