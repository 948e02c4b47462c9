package himawari

import (
	"fmt"
	"strings"
	"time"
)

// grid is a P-Tree netCDF grid: pixels by lines at a spacing in km.
type grid struct {
	pixels, lines int
	km            float64
}

var (
	grid5km   = []grid{{2401, 2401, 5}, {2801, 2401, 5}}
	grid2km   = []grid{{6001, 6001, 2}, {7001, 6001, 2}}
	gridJapan = []grid{{2701, 2601, 1}}
)

// cadence is how often a product is made, which fixes the start times that
// may appear in its names.
type cadence int

const (
	tenMinutes cadence = iota
	hourly
	daily
	monthly
)

// kind is one P-Tree product as it appears in a name.
type kind struct {
	code      string // as written before the version
	nc        bool   // the name starts with NC_
	product   string
	versioned bool
	grids     []grid
	cadence   cadence
}

// kinds is built once; kindByCode and parseKind search it in order, and no
// code is a prefix of another with a valid version after it.
var kinds = buildKinds()

func buildKinds() []kind {
	ks := []kind{
		{"R21", true, "L1 gridded", false, append(append([]grid{}, grid5km...), grid2km...), tenMinutes},
		{"r14", true, "L1 gridded Japan", false, gridJapan, tenMinutes},
		{"L2ARP", true, "L2 aerosol property", true, grid5km, tenMinutes},
		{"L2CLP", true, "L2 cloud property", true, grid5km, tenMinutes},
		{"RFL", false, "L2 shortwave radiation and PAR", true, grid5km, tenMinutes},
		{"rFL", false, "L2 shortwave radiation and PAR Japan", true, gridJapan, tenMinutes},
		{"1MSST", false, "L3 monthly sea surface temperature", true, grid2km, monthly},
	}
	periods := []struct {
		code, name string
		c          cadence
	}{{"1H", "hourly", hourly}, {"1D", "daily", daily}, {"1M", "monthly", monthly}}
	for _, p := range periods {
		l3 := "L3 " + p.name + " "
		ks = append(ks,
			kind{p.code + "ARP", false, l3 + "aerosol property", true, grid5km, p.c},
			kind{p.code + "_RFL", false, l3 + "shortwave radiation and PAR", true, grid5km, p.c},
			kind{p.code + "_rFL", false, l3 + "shortwave radiation and PAR Japan", true, gridJapan, p.c},
			kind{p.code + "_ROC", false, l3 + "chlorophyll-a", true, grid5km, p.c},
			kind{p.code + "_rOC", false, l3 + "chlorophyll-a Japan", true, gridJapan, p.c},
		)
	}
	return ks
}

func kindByCode(code string) (kind, bool) {
	for _, k := range kinds {
		if k.code == code {
			return k, true
		}
	}
	return kind{}, false
}

// parseKind splits "L2CLP010" into its kind and version.
func parseKind(s string) (kind, string, error) {
	for _, k := range kinds {
		ver, ok := strings.CutPrefix(s, k.code)
		if !ok {
			continue
		}
		if !k.versioned {
			if ver == "" {
				return k, "", nil
			}
			continue
		}
		if ver == "bet" || (len(ver) == 3 && digits(ver)) {
			return k, ver, nil
		}
		return kind{}, "", &NameError{"version", ver, "of " + k.code + " is not three digits or \"bet\""}
	}
	return kind{}, "", &NameError{"product", s, "is not a P-Tree product code (R21, r14, L2ARP, L2CLP, RFL, rFL, 1HARP, 1H_RFL, 1H_ROC, 1MSST, ...)"}
}

func parseNetCDF(name string) (Product, error) {
	rest, nc := strings.CutPrefix(name, "NC_")
	rest, ok := strings.CutSuffix(rest, ".nc")
	if !ok {
		return Product{}, &NameError{"extension", extension(name), "is not .nc"}
	}
	head, gridPart, ok := strings.Cut(rest, "_FLDK.")
	if !ok {
		return Product{}, &NameError{"name", name, "has no _FLDK.ppppp_lllll grid before .nc"}
	}
	f := strings.SplitN(head, "_", 4)
	if len(f) != 4 {
		return Product{}, &NameError{"name", name, "is not [NC_]Hnn_YYYYMMDD_hhmm_CODE_FLDK.ppppp_lllll.nc"}
	}
	sat, start, err := parseSatelliteTime(f[0], f[1], f[2])
	if err != nil {
		return Product{}, err
	}
	k, ver, err := parseKind(f[3])
	if err != nil {
		return Product{}, err
	}
	p := Product{Satellite: sat, Sensor: "AHI", Product: k.product, Code: k.code, Version: ver,
		Area: "FLDK", Start: start, Format: FormatNetCDF}
	if err := k.check(nc, start); err != nil {
		return Product{}, err
	}
	if err := p.setGrid(k, gridPart); err != nil {
		return Product{}, err
	}
	return p, nil
}

// check refuses a name whose NC_ prefix or start time does not fit its kind.
func (k kind) check(nc bool, start time.Time) error {
	if nc != k.nc {
		want := map[bool]string{true: "needs", false: "is named without"}[k.nc]
		return &NameError{"product", k.code, want + " the NC_ prefix"}
	}
	hm := start.Format("1504")
	switch {
	case k.cadence == hourly && start.Minute() != 0:
		return &NameError{"time", hm, "is not on the hour, as an hourly product starts"}
	case k.cadence == daily && hm != "0000":
		return &NameError{"time", hm, "is not 0000, as a daily product starts"}
	case k.cadence == monthly && (hm != "0000" || start.Day() != 1):
		return &NameError{"date", start.Format("20060102_1504"), "is not 0000 on the 1st, as a monthly product starts"}
	}
	return nil
}

// setGrid reads "02401_02401" and checks it is one of the kind's grids.
func (p *Product) setGrid(k kind, s string) error {
	px, ln, ok := strings.Cut(s, "_")
	if ok && len(px) == 5 && len(ln) == 5 && digits(px) && digits(ln) {
		for _, g := range k.grids {
			if g.pixels == atoi(px) && g.lines == atoi(ln) {
				p.Pixels, p.Lines, p.ResolutionKm = g.pixels, g.lines, g.km
				return nil
			}
		}
	}
	var want []string
	for _, g := range k.grids {
		want = append(want, fmt.Sprintf("%05d_%05d", g.pixels, g.lines))
	}
	return &NameError{"grid", s, "is not " + strings.Join(want, " or ") + " for " + k.code}
}

// extension is what follows the last dot of the last _-separated part, for
// error messages.
func extension(name string) string {
	last := name[strings.LastIndex(name, "_")+1:]
	if i := strings.Index(last, "."); i >= 0 {
		return last[i:]
	}
	return ""
}
