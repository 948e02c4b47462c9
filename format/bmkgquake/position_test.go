package bmkgquake

import "testing"

func rec(kv ...string) record {
	r := newRecord()
	for i := 0; i+1 < len(kv); i += 2 {
		r.set(kv[i], kv[i+1])
	}
	return r
}

func TestPosition(t *testing.T) {
	tests := []struct {
		name     string
		r        record
		def      order
		lat, lon float64
		bad      bool
	}{
		{"current lat,lon", rec("Coordinates", "-8.15,118.10", "Lintang", "8.15 LS", "Bujur", "118.10 BT"), latLon, -8.15, 118.10, false},
		{"current feed written lon,lat", rec("Coordinates", "118.10,-8.15", "Lintang", "8.15 LS", "Bujur", "118.10 BT"), latLon, -8.15, 118.10, false},
		{"legacy lon,lat", rec("coordinates", "126.40,3.90", "Lintang", "3.90 LU", "Bujur", "126.40 BT"), lonLat, 3.90, 126.40, false},
		{"legacy precision differs", rec("coordinates", "126.4,3.9", "Lintang", "3.94 LU", "Bujur", "126.40 BT"), lonLat, 3.9, 126.4, false},
		{"legacy felt lat, lon with Posisi", rec("coordinates", "-1.55, 138.83", "Posisi", "1.55 LS 138.83 BT"), latLon, -1.55, 138.83, false},
		{"Posisi with dash", rec("coordinates", "2.37, 128.52", "Posisi", "2.37 LU - 128.52 BT"), latLon, 2.37, 128.52, false},
		{"west and north", rec("Coordinates", "5.5,-100.2", "Lintang", "5.5 LU", "Bujur", "100.2 BB"), latLon, 5.5, -100.2, false},
		{"no reference: layout order", rec("Coordinates", "126.40,3.90"), lonLat, 3.90, 126.40, false},
		{"no coordinates: hemispheres", rec("Lintang", "8.15 LS", "Bujur", "118.10 BT"), latLon, -8.15, 118.10, false},
		{"KML triple", rec("coordinates", "126.40,3.90,0", "Lintang", "3.90 LU"), lonLat, 3.90, 126.40, false},
		{"sign disagrees", rec("Coordinates", "8.15,118.10", "Lintang", "8.15 LS", "Bujur", "118.10 BT"), latLon, 0, 0, true},
		{"near the equator sign disagrees", rec("Coordinates", "0.02,118.10", "Lintang", "0.02 LS", "Bujur", "118.10 BT"), latLon, 0, 0, true},
		{"different place", rec("Coordinates", "-8.15,118.10", "Lintang", "2.00 LS", "Bujur", "118.10 BT"), latLon, 0, 0, true},
		{"Posisi disagrees", rec("coordinates", "-1.55, 138.83", "Posisi", "1.55 LU 138.83 BT"), latLon, 0, 0, true},
		{"Lintang with a longitude hemisphere", rec("Coordinates", "-8.15,118.10", "Lintang", "8.15 BT"), latLon, 0, 0, true},
		{"garbage coordinates", rec("Coordinates", "abc"), latLon, 0, 0, true},
		{"nothing", rec("Wilayah", "x"), latLon, 0, 0, true},
	}
	for _, tt := range tests {
		lat, lon, err := position(tt.r, tt.def)
		if tt.bad {
			if err == nil {
				t.Errorf("%s: got %v,%v, want an error", tt.name, lat, lon)
			}
			continue
		}
		if err != nil || lat != tt.lat || lon != tt.lon {
			t.Errorf("%s: got %v,%v,%v want %v,%v", tt.name, lat, lon, err, tt.lat, tt.lon)
		}
	}
}
