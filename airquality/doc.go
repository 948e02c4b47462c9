// Package airquality holds Indonesia's air-pollution index, the Indeks
// Standar Pencemar Udara (ISPU), as the regulations define it: the
// breakpoint tables, the interpolation that turns a concentration into a
// sub-index, the daily index (the largest sub-index) and its category.
//
// Two regulations are covered, each as a Table:
//
//   - ISPU2020: Peraturan Menteri Lingkungan Hidup dan Kehutanan
//     No. P.14/MENLHK/SETJEN/KUM.1/7/2020 tentang Indeks Standar Pencemar
//     Udara, which added PM2.5 and HC;
//   - ISPU1997: Keputusan Menteri Negara Lingkungan Hidup
//     No. KEP-45/MENLH/10/1997 tentang Indeks Standar Pencemar Udara, with
//     the calculation guidance of Keputusan Kepala Bapedal
//     No. KEP-107/KABAPEDAL/11/1997, in force until the 2020 regulation.
//
// The values were transcribed from secondary copies of the regulations'
// annexes, not from the gazetted PDFs; the comments on each table say which
// values are less certain. The package imports only the standard library.
package airquality
