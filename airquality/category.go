package airquality

import (
	"fmt"
	"math"
)

// Category is one band of the ISPU scale. Min and Max are inclusive; the top
// band (BERBAHAYA) is open-ended and has Max = math.MaxInt.
type Category struct {
	Code    string // the regulation's name: "BAIK", "SEDANG", ...
	English string // "Good", "Moderate", ...
	Min     int
	Max     int
	// Color is the colour the regulation assigns, in English ("green");
	// the regulations name the colours (hijau, biru, kuning, merah, hitam)
	// and give no RGB values.
	Color string
}

// Category codes, as the regulations and the DKI Jakarta data write them.
const (
	Baik             = "BAIK"
	Sedang           = "SEDANG"
	TidakSehat       = "TIDAK SEHAT"
	SangatTidakSehat = "SANGAT TIDAK SEHAT"
	Berbahaya        = "BERBAHAYA"
)

// categories2020 are the bands of P.14/MENLHK/SETJEN/KUM.1/7/2020:
// 0–50, 51–100, 101–200, 201–300, >300, coloured green, blue, yellow, red
// and black.
var categories2020 = []Category{
	{Baik, "Good", 0, 50, "green"},
	{Sedang, "Moderate", 51, 100, "blue"},
	{TidakSehat, "Unhealthy", 101, 200, "yellow"},
	{SangatTidakSehat, "Very unhealthy", 201, 300, "red"},
	{Berbahaya, "Hazardous", 301, math.MaxInt, "black"},
}

// categories1997 are the bands of KEP-45/MENLH/10/1997 as its annex is
// usually reproduced: 0–50, 51–100, 101–199, 200–299, 300 and above, with
// the same names and colours as 2020. Uncertain: the upper two boundaries
// (199/200 and 299/300) are from secondary copies; they differ from 2020
// only for an index of exactly 200 or 300.
var categories1997 = []Category{
	{Baik, "Good", 0, 50, "green"},
	{Sedang, "Moderate", 51, 100, "blue"},
	{TidakSehat, "Unhealthy", 101, 199, "yellow"},
	{SangatTidakSehat, "Very unhealthy", 200, 299, "red"},
	{Berbahaya, "Hazardous", 300, math.MaxInt, "black"},
}

// CategoryOf returns the ISPU2020 category of an index value. A negative
// index is an error: the scale starts at 0.
func CategoryOf(ispu int) (Category, error) {
	return ISPU2020.CategoryOf(ispu)
}

// CategoryOf returns the band of t's categories that holds ispu.
func (t Table) CategoryOf(ispu int) (Category, error) {
	if ispu < 0 {
		return Category{}, fmt.Errorf("airquality: negative ISPU %d", ispu)
	}
	for _, c := range t.Categories {
		if ispu >= c.Min && ispu <= c.Max {
			return c, nil
		}
	}
	return Category{}, fmt.Errorf("airquality: ISPU %d outside the %s categories", ispu, t.Name)
}

// IsCategoryCode reports whether code is one of the five category codes.
func IsCategoryCode(code string) bool {
	for _, c := range categories2020 {
		if c.Code == code {
			return true
		}
	}
	return false
}
