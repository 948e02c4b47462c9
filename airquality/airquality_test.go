package airquality

import (
	"errors"
	"math"
	"slices"
	"testing"
)

func TestCategoryOfBoundaries(t *testing.T) {
	tests := []struct {
		ispu int
		code string
	}{
		{0, Baik}, {1, Baik}, {50, Baik},
		{51, Sedang}, {100, Sedang},
		{101, TidakSehat}, {200, TidakSehat},
		{201, SangatTidakSehat}, {300, SangatTidakSehat},
		{301, Berbahaya}, {500, Berbahaya}, {math.MaxInt, Berbahaya},
	}
	for _, tt := range tests {
		c, err := CategoryOf(tt.ispu)
		if err != nil || c.Code != tt.code {
			t.Errorf("CategoryOf(%d) = %q, %v; want %q", tt.ispu, c.Code, err, tt.code)
		}
	}
	if _, err := CategoryOf(-1); err == nil {
		t.Error("CategoryOf(-1): no error")
	}
}

func TestCategories1997Boundaries(t *testing.T) {
	tests := []struct {
		ispu int
		code string
	}{
		{50, Baik}, {51, Sedang}, {100, Sedang}, {101, TidakSehat}, {199, TidakSehat},
		{200, SangatTidakSehat}, {299, SangatTidakSehat}, {300, Berbahaya},
	}
	for _, tt := range tests {
		c, err := ISPU1997.CategoryOf(tt.ispu)
		if err != nil || c.Code != tt.code {
			t.Errorf("ISPU1997.CategoryOf(%d) = %q, %v; want %q", tt.ispu, c.Code, err, tt.code)
		}
	}
}

// TestCategoriesTile checks that each table's bands cover 0..MaxInt without
// gaps or overlaps and carry the names and colours in order.
func TestCategoriesTile(t *testing.T) {
	english := []string{"Good", "Moderate", "Unhealthy", "Very unhealthy", "Hazardous"}
	colors := []string{"green", "blue", "yellow", "red", "black"}
	for _, tab := range []Table{ISPU2020, ISPU1997} {
		next := 0
		for i, c := range tab.Categories {
			if c.Min != next || c.Max < c.Min || c.English != english[i] || c.Color != colors[i] || !IsCategoryCode(c.Code) {
				t.Errorf("%s band %d: %+v", tab.Name, i, c)
			}
			if c.Max < math.MaxInt {
				next = c.Max + 1
			}
		}
		if last := tab.Categories[len(tab.Categories)-1]; last.Max != math.MaxInt {
			t.Errorf("%s: top band closed at %d", tab.Name, last.Max)
		}
	}
	if IsCategoryCode("baik") || IsCategoryCode("SEHAT") {
		t.Error("IsCategoryCode accepts a non-code")
	}
}

func TestTablesWellFormed(t *testing.T) {
	for _, tab := range []Table{ISPU2020, ISPU1997} {
		for _, r := range tab.Rows {
			if len(r.Conc) != len(tab.Index) || r.Conc[0] != 0 {
				t.Errorf("%s %s: %d values for %d index points", tab.Name, r.Pollutant, len(r.Conc), len(tab.Index))
			}
			prev := -1.0
			for _, x := range r.Conc {
				if math.IsNaN(x) {
					continue
				}
				if x <= prev {
					t.Errorf("%s %s: breakpoints not ascending: %v", tab.Name, r.Pollutant, r.Conc)
				}
				prev = x
			}
		}
	}
}

func TestSubIndex2020(t *testing.T) {
	tests := []struct {
		p    Pollutant
		x    float64
		want int
	}{
		{PM10, 0, 0}, {PM10, 50, 50}, {PM10, 100, 75}, {PM10, 150, 100}, {PM10, 250, 150},
		{PM10, 350, 200}, {PM10, 385, 250}, {PM10, 420, 300}, {PM10, 460, 400}, {PM10, 500, 500},
		{PM10, 540, 600}, // beyond the table: the last segment extended
		{PM10, 25, 25}, {PM10, 0.9, 1}, {PM10, 1.0, 1}, {PM10, 0.99, 1}, {PM10, 0.5, 1}, {PM10, 0.49, 0},
		{PM25, 15.5, 50}, {PM25, 55.4, 100}, {PM25, 150.4, 200}, {PM25, 250.4, 300}, {PM25, 500, 500},
		{PM25, 35.45, 75}, {PM25, 200.4, 250}, {PM25, 7.75, 25},
		{SO2, 52, 50}, {SO2, 116, 75}, {SO2, 180, 100}, {SO2, 400, 200}, {SO2, 800, 300}, {SO2, 1200, 500},
		{CO, 4000, 50}, {CO, 6000, 75}, {CO, 8000, 100}, {CO, 15000, 200}, {CO, 30000, 300}, {CO, 45000, 500},
		{O3, 120, 50}, {O3, 235, 100}, {O3, 317.5, 150}, {O3, 400, 200}, {O3, 800, 300}, {O3, 1000, 500},
		{NO2, 80, 50}, {NO2, 140, 75}, {NO2, 200, 100}, {NO2, 1130, 200}, {NO2, 2260, 300}, {NO2, 3000, 500},
		{HC, 45, 50}, {HC, 100, 100}, {HC, 215, 200}, {HC, 432, 300}, {HC, 540, 400}, {HC, 648, 500},
	}
	for _, tt := range tests {
		got, err := SubIndex(tt.p, tt.x, ISPU2020)
		if err != nil || got != tt.want {
			t.Errorf("SubIndex(%s, %v, 2020) = %d, %v; want %d", tt.p, tt.x, got, err, tt.want)
		}
	}
}

func TestSubIndex1997(t *testing.T) {
	tests := []struct {
		p    Pollutant
		x    float64
		want int
	}{
		{PM10, 50, 50}, {PM10, 150, 100}, {PM10, 350, 200}, {PM10, 420, 300}, {PM10, 500, 400}, {PM10, 600, 500},
		{PM10, 550, 450}, {PM10, 60, 55},
		{SO2, 80, 50}, {SO2, 365, 100}, {SO2, 800, 200}, {SO2, 1600, 300}, {SO2, 2100, 400}, {SO2, 2620, 500},
		{SO2, 40, 25}, {SO2, 1200, 250},
		{CO, 5000, 50}, {CO, 7500, 75}, {CO, 10000, 100}, {CO, 17000, 200}, {CO, 34000, 300}, {CO, 46000, 400},
		{CO, 57500, 500},
		{O3, 120, 50}, {O3, 235, 100}, {O3, 400, 200}, {O3, 800, 300}, {O3, 1000, 400}, {O3, 1200, 500},
		// NO2 has no breakpoint below 200: 0 → 1130 µg/m³ is one segment.
		{NO2, 0, 0}, {NO2, 565, 100}, {NO2, 80, 14}, {NO2, 1130, 200}, {NO2, 2260, 300}, {NO2, 3000, 400},
		{NO2, 3750, 500},
	}
	for _, tt := range tests {
		got, err := SubIndex(tt.p, tt.x, ISPU1997)
		if err != nil || got != tt.want {
			t.Errorf("SubIndex(%s, %v, 1997) = %d, %v; want %d", tt.p, tt.x, got, err, tt.want)
		}
	}
}

func TestSubIndexErrors(t *testing.T) {
	tests := []struct {
		p   Pollutant
		x   float64
		tab Table
	}{
		{PM25, 10, ISPU1997}, // no PM2.5 before 2020
		{HC, 10, ISPU1997},
		{"PM1", 10, ISPU2020},
		{PM10, -1, ISPU2020},
		{PM10, math.NaN(), ISPU2020},
		{PM10, math.Inf(1), ISPU2020},
		{PM10, 1e300, ISPU2020},
		{PM10, 10, Table{}},
	}
	for _, tt := range tests {
		if got, err := SubIndex(tt.p, tt.x, tt.tab); err == nil {
			t.Errorf("SubIndex(%s, %v, %q) = %d, want an error", tt.p, tt.x, tt.tab.Name, got)
		}
	}
}

func TestDaily(t *testing.T) {
	ispu, crit, cat, err := Daily(map[Pollutant]int{PM10: 60, SO2: 4, CO: 73, O3: 27, NO2: 14})
	if err != nil || ispu != 73 || !slices.Equal(crit, []Pollutant{CO}) || cat.Code != Sedang {
		t.Errorf("Daily = %d %v %q %v", ispu, crit, cat.Code, err)
	}
	ispu, crit, cat, err = Daily(map[Pollutant]int{O3: 120, PM25: 120, PM10: 80})
	if err != nil || ispu != 120 || !slices.Equal(crit, []Pollutant{PM25, O3}) || cat.Code != TidakSehat {
		t.Errorf("tie: Daily = %d %v %q %v", ispu, crit, cat.Code, err)
	}
	ispu, crit, cat, err = Daily(map[Pollutant]int{NO2: 0})
	if err != nil || ispu != 0 || !slices.Equal(crit, []Pollutant{NO2}) || cat.Code != Baik {
		t.Errorf("zero: Daily = %d %v %q %v", ispu, crit, cat.Code, err)
	}
	if _, _, _, err := Daily(nil); !errors.Is(err, ErrNoSubIndex) {
		t.Errorf("empty: %v", err)
	}
	if _, _, _, err := Daily(map[Pollutant]int{PM10: -3}); err == nil {
		t.Error("negative: no error")
	}
	if _, _, _, err := Daily(map[Pollutant]int{"CO2": 3}); err == nil {
		t.Error("unknown pollutant: no error")
	}
}
