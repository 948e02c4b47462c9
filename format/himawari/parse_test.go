package himawari

import (
	"errors"
	"testing"
	"time"
)

func at(s string) time.Time {
	t, err := time.Parse("20060102_1504", s)
	if err != nil {
		panic(err)
	}
	return t
}

var valid = []struct {
	name string
	want Product
}{
	{"HS_H08_20150728_2200_B01_FLDK_R10_S0110.DAT", Product{
		Satellite: "Himawari-8", Sensor: "AHI", Band: 1, WavelengthUM: 0.47, Channel: "visible", Product: "L1 HSD",
		Area: "FLDK", Start: at("20150728_2200"), ResolutionKm: 1, Segment: 1, Segments: 10, Format: FormatHSD}},
	{"HS_H09_20240229_2350_B03_FLDK_R05_S1010.DAT.bz2", Product{
		Satellite: "Himawari-9", Sensor: "AHI", Band: 3, WavelengthUM: 0.64, Channel: "visible", Product: "L1 HSD",
		Area: "FLDK", Start: at("20240229_2350"), ResolutionKm: 0.5, Segment: 10, Segments: 10, Format: FormatHSD, Compressed: "bz2"}},
	{"HS_H09_20230101_0000_B04_JP01_R10_S0101.DAT", Product{
		Satellite: "Himawari-9", Sensor: "AHI", Band: 4, WavelengthUM: 0.86, Channel: "near-infrared", Product: "L1 HSD",
		Area: "JP01", Start: at("20230101_0000"), ResolutionKm: 1, Segment: 1, Segments: 1, Format: FormatHSD}},
	{"HS_H08_20181022_0300_B13_R304_R20_S0101.DAT", Product{
		Satellite: "Himawari-8", Sensor: "AHI", Band: 13, WavelengthUM: 10.4, Channel: "infrared", Product: "L1 HSD",
		Area: "R304", Start: at("20181022_0300"), ResolutionKm: 2, Segment: 1, Segments: 1, Format: FormatHSD}},
	{"HS_H09_20250101_1210_B16_JP04_R20_S0101.DAT.bz2", Product{
		Satellite: "Himawari-9", Sensor: "AHI", Band: 16, WavelengthUM: 13.3, Channel: "infrared", Product: "L1 HSD",
		Area: "JP04", Start: at("20250101_1210"), ResolutionKm: 2, Segment: 1, Segments: 1, Format: FormatHSD, Compressed: "bz2"}},
	{"NC_H08_20150727_0800_R21_FLDK.02401_02401.nc", Product{
		Satellite: "Himawari-8", Sensor: "AHI", Product: "L1 gridded", Code: "R21", Area: "FLDK",
		Start: at("20150727_0800"), ResolutionKm: 5, Pixels: 2401, Lines: 2401, Format: FormatNetCDF}},
	{"NC_H09_20251203_0730_R21_FLDK.07001_06001.nc", Product{
		Satellite: "Himawari-9", Sensor: "AHI", Product: "L1 gridded", Code: "R21", Area: "FLDK",
		Start: at("20251203_0730"), ResolutionKm: 2, Pixels: 7001, Lines: 6001, Format: FormatNetCDF}},
	{"NC_H08_20170508_0040_r14_FLDK.02701_02601.nc", Product{
		Satellite: "Himawari-8", Sensor: "AHI", Product: "L1 gridded Japan", Code: "r14", Area: "FLDK",
		Start: at("20170508_0040"), ResolutionKm: 1, Pixels: 2701, Lines: 2601, Format: FormatNetCDF}},
	{"NC_H08_20160101_0000_L2CLP010_FLDK.02401_02401.nc", Product{
		Satellite: "Himawari-8", Sensor: "AHI", Product: "L2 cloud property", Code: "L2CLP", Version: "010", Area: "FLDK",
		Start: at("20160101_0000"), ResolutionKm: 5, Pixels: 2401, Lines: 2401, Format: FormatNetCDF}},
	{"NC_H08_20160305_0700_L2CLPbet_FLDK.02401_02401.nc", Product{
		Satellite: "Himawari-8", Sensor: "AHI", Product: "L2 cloud property", Code: "L2CLP", Version: "bet", Area: "FLDK",
		Start: at("20160305_0700"), ResolutionKm: 5, Pixels: 2401, Lines: 2401, Format: FormatNetCDF}},
	{"NC_H09_20250319_1230_L2ARP031_FLDK.02401_02401.nc", Product{
		Satellite: "Himawari-9", Sensor: "AHI", Product: "L2 aerosol property", Code: "L2ARP", Version: "031", Area: "FLDK",
		Start: at("20250319_1230"), ResolutionKm: 5, Pixels: 2401, Lines: 2401, Format: FormatNetCDF}},
	{"H09_20260101_0010_RFL021_FLDK.02801_02401.nc", Product{
		Satellite: "Himawari-9", Sensor: "AHI", Product: "L2 shortwave radiation and PAR", Code: "RFL", Version: "021", Area: "FLDK",
		Start: at("20260101_0010"), ResolutionKm: 5, Pixels: 2801, Lines: 2401, Format: FormatNetCDF}},
	{"H08_20160101_0000_rFL010_FLDK.02701_02601.nc", Product{
		Satellite: "Himawari-8", Sensor: "AHI", Product: "L2 shortwave radiation and PAR Japan", Code: "rFL", Version: "010", Area: "FLDK",
		Start: at("20160101_0000"), ResolutionKm: 1, Pixels: 2701, Lines: 2601, Format: FormatNetCDF}},
	{"H09_20250210_0400_1HARP031_FLDK.02401_02401.nc", Product{
		Satellite: "Himawari-9", Sensor: "AHI", Product: "L3 hourly aerosol property", Code: "1HARP", Version: "031", Area: "FLDK",
		Start: at("20250210_0400"), ResolutionKm: 5, Pixels: 2401, Lines: 2401, Format: FormatNetCDF}},
	{"H08_20220411_0000_1DARP031_FLDK.02401_02401.nc", Product{
		Satellite: "Himawari-8", Sensor: "AHI", Product: "L3 daily aerosol property", Code: "1DARP", Version: "031", Area: "FLDK",
		Start: at("20220411_0000"), ResolutionKm: 5, Pixels: 2401, Lines: 2401, Format: FormatNetCDF}},
	{"H09_20240101_0300_1H_RFL021_FLDK.02401_02401.nc", Product{
		Satellite: "Himawari-9", Sensor: "AHI", Product: "L3 hourly shortwave radiation and PAR", Code: "1H_RFL", Version: "021", Area: "FLDK",
		Start: at("20240101_0300"), ResolutionKm: 5, Pixels: 2401, Lines: 2401, Format: FormatNetCDF}},
	{"H08_20170801_0300_1H_ROC010_FLDK.02401_02401.nc", Product{
		Satellite: "Himawari-8", Sensor: "AHI", Product: "L3 hourly chlorophyll-a", Code: "1H_ROC", Version: "010", Area: "FLDK",
		Start: at("20170801_0300"), ResolutionKm: 5, Pixels: 2401, Lines: 2401, Format: FormatNetCDF}},
	{"H08_20180701_0000_1MSST120_FLDK.06001_06001.nc", Product{
		Satellite: "Himawari-8", Sensor: "AHI", Product: "L3 monthly sea surface temperature", Code: "1MSST", Version: "120", Area: "FLDK",
		Start: at("20180701_0000"), ResolutionKm: 2, Pixels: 6001, Lines: 6001, Format: FormatNetCDF}},
}

func TestParseNameValid(t *testing.T) {
	for _, tc := range valid {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseName(tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			if got.Start.Location() != time.UTC {
				t.Errorf("start %v is not UTC", got.Start)
			}
			if n := got.Name(); n != tc.name {
				t.Errorf("Name() = %q", n)
			}
		})
	}
}

const hsd = "HS_H09_20230115_0610_B13_FLDK_R20_S0310.DAT"

var invalid = []struct{ name, err string }{
	{"", `himawari: name "" is not a Himawari Standard Data (HS_...) or P-Tree netCDF (NC_H..., H0...) name`},
	{"hs_h09_20230115_0610_b13_fldk_r20_s0310.dat", `himawari: name "hs_h09_20230115_0610_b13_fldk_r20_s0310.dat" is not a Himawari Standard Data (HS_...) or P-Tree netCDF (NC_H..., H0...) name`},
	{"data/" + hsd, `himawari: name "data/` + hsd + `" has a directory; pass the base name`},
	{"HS_H09_20230115_0610_B13_FLDK_R20_S0310", `himawari: extension "" is not .DAT or .DAT.bz2`},
	{"HS_H09_20230115_0610_B13_FLDK_R20_S0310.dat", `himawari: extension ".dat" is not .DAT or .DAT.bz2`},
	{"HS_H09_20230115_0610_B13_FLDK_R20_S0310.DAT.gz", `himawari: extension ".DAT.gz" is not .DAT or .DAT.bz2`},
	{"HS_H09_20230115_0610_B13_FLDK_S0310.DAT", `himawari: name "HS_H09_20230115_0610_B13_FLDK_S0310.DAT" has 7 parts separated by _, want 8 (HS_Hnn_YYYYMMDD_hhmm_Bbb_AREA_Rjj_Skkll.DAT)`},
	{"HS_H07_20230115_0610_B13_FLDK_R20_S0310.DAT", `himawari: satellite "H07" is not H08 or H09`},
	{"HS_h09_20230115_0610_B13_FLDK_R20_S0310.DAT", `himawari: satellite "h09" is not H08 or H09`},
	{"HS_H09_20230230_0610_B13_FLDK_R20_S0310.DAT", `himawari: date "20230230" is not a calendar date`},
	{"HS_H09_20231301_0610_B13_FLDK_R20_S0310.DAT", `himawari: date "20231301" is not a calendar date`},
	{"HS_H09_2023015_0610_B13_FLDK_R20_S0310.DAT", `himawari: date "2023015" is not YYYYMMDD`},
	{"HS_H09_2023-115_0610_B13_FLDK_R20_S0310.DAT", `himawari: date "2023-115" is not YYYYMMDD`},
	{"HS_H09_20230115_2400_B13_FLDK_R20_S0310.DAT", `himawari: time "2400" is not a time of day (0000 to 2359)`},
	{"HS_H09_20230115_0660_B13_FLDK_R20_S0310.DAT", `himawari: time "0660" is not a time of day (0000 to 2359)`},
	{"HS_H09_20230115_0612_B13_FLDK_R20_S0310.DAT", `himawari: time "0612" is not on the 10-minute timeline (minutes 00, 10, ..., 50)`},
	{"HS_H09_20230115_+610_B13_FLDK_R20_S0310.DAT", `himawari: time "+610" is not hhmm`},
	{"HS_H08_20140101_0000_B13_FLDK_R20_S0310.DAT", `himawari: date "20140101" is before Himawari-8 was launched (2014-10-07)`},
	{"HS_H09_20160101_0000_B13_FLDK_R20_S0310.DAT", `himawari: date "20160101" is before Himawari-9 was launched (2016-11-02)`},
	{"HS_H09_20230115_0610_B17_FLDK_R20_S0310.DAT", `himawari: band "B17" is not B01 to B16`},
	{"HS_H09_20230115_0610_B00_FLDK_R20_S0310.DAT", `himawari: band "B00" is not B01 to B16`},
	{"HS_H09_20230115_0610_B1_FLDK_R20_S0310.DAT", `himawari: band "B1" is not B01 to B16`},
	{"HS_H09_20230115_0610_b13_FLDK_R20_S0310.DAT", `himawari: band "b13" is not B01 to B16`},
	{"HS_H09_20230115_0610_B13_FLDK_R15_S0310.DAT", `himawari: resolution "R15" is not R05, R10 or R20`},
	{"HS_H09_20230115_0610_B13_FLDK_R10_S0310.DAT", `himawari: resolution "R10" is not band 13's resolution R20`},
	{"HS_H09_20230115_0610_B03_FLDK_R10_S0310.DAT", `himawari: resolution "R10" is not band 3's resolution R05`},
	{"HS_H09_20230115_0610_B13_fldk_R20_S0310.DAT", `himawari: area "fldk" is not FLDK, JP01 to JP04 or R301 to R304`},
	{"HS_H09_20230115_0610_B13_JP05_R20_S0101.DAT", `himawari: area "JP05" is not FLDK, JP01 to JP04 or R301 to R304`},
	{"HS_H09_20230115_0610_B13_R401_R20_S0101.DAT", `himawari: area "R401" is not FLDK, JP01 to JP04 or R301 to R304`},
	{"HS_H09_20230115_0610_B13_FLDK_R20_S1110.DAT", `himawari: segment "S1110" is not segment 01 to 10`},
	{"HS_H09_20230115_0610_B13_FLDK_R20_S0010.DAT", `himawari: segment "S0010" is not segment 01 to 10`},
	{"HS_H09_20230115_0610_B13_FLDK_R20_S0109.DAT", `himawari: segment "S0109" is not of 10 segments, as FLDK is cut into`},
	{"HS_H09_20230115_0610_B13_JP01_R20_S0110.DAT", `himawari: segment "S0110" is not of 01 segments, as JP01 is cut into`},
	{"HS_H09_20230115_0610_B13_FLDK_R20_S031.DAT", `himawari: segment "S031" is not Skkll`},
	{"NC_H09_20230115_0610_R21_FLDK.02401_02401.NC", `himawari: extension ".NC" is not .nc`},
	{"NC_H09_20230115_0610_R21_FLDK.02401_02401", `himawari: extension "" is not .nc`},
	{"NC_H09_20230115_0610_R21.02401_02401.nc", `himawari: name "NC_H09_20230115_0610_R21.02401_02401.nc" has no _FLDK.ppppp_lllll grid before .nc`},
	{"NC_H09_20230115_R21_FLDK.02401_02401.nc", `himawari: name "NC_H09_20230115_R21_FLDK.02401_02401.nc" is not [NC_]Hnn_YYYYMMDD_hhmm_CODE_FLDK.ppppp_lllll.nc`},
	{"NC_H07_20230115_0610_R21_FLDK.02401_02401.nc", `himawari: satellite "H07" is not H08 or H09`},
	{"NC_H09_20230229_0610_R21_FLDK.02401_02401.nc", `himawari: date "20230229" is not a calendar date`},
	{"NC_H09_20230115_0610_R22_FLDK.02401_02401.nc", `himawari: product "R22" is not a P-Tree product code (R21, r14, L2ARP, L2CLP, RFL, rFL, 1HARP, 1H_RFL, 1H_ROC, 1MSST, ...)`},
	{"NC_H09_20230115_0610_r21_FLDK.02401_02401.nc", `himawari: product "r21" is not a P-Tree product code (R21, r14, L2ARP, L2CLP, RFL, rFL, 1HARP, 1H_RFL, 1H_ROC, 1MSST, ...)`},
	{"NC_H09_20230115_0610_L2CLP01_FLDK.02401_02401.nc", `himawari: version "01" of L2CLP is not three digits or "bet"`},
	{"NC_H09_20230115_0610_L2CLP_FLDK.02401_02401.nc", `himawari: version "" of L2CLP is not three digits or "bet"`},
	{"H09_20230115_0610_L2CLP010_FLDK.02401_02401.nc", `himawari: product "L2CLP" needs the NC_ prefix`},
	{"NC_H09_20230115_0610_RFL021_FLDK.02401_02401.nc", `himawari: product "RFL" is named without the NC_ prefix`},
	{"NC_H09_20230115_0610_R21_FLDK.02401_02402.nc", `himawari: grid "02401_02402" is not 02401_02401 or 02801_02401 or 06001_06001 or 07001_06001 for R21`},
	{"NC_H09_20230115_0610_r14_FLDK.2701_2601.nc", `himawari: grid "2701_2601" is not 02701_02601 for r14`},
	{"H09_20230115_0610_1HARP031_FLDK.02401_02401.nc", `himawari: time "0610" is not on the hour, as an hourly product starts`},
	{"H09_20230115_0600_1DARP031_FLDK.02401_02401.nc", `himawari: time "0600" is not 0000, as a daily product starts`},
	{"H09_20230115_0000_1MSST201_FLDK.06001_06001.nc", `himawari: date "20230115_0000" is not 0000 on the 1st, as a monthly product starts`},
	{"20150728081000-JAXA-L2P_GHRSST-SSTskin-H08_AHI-v1.0-v02.0-fv01.0.nc", `himawari: name "20150728081000-JAXA-L2P_GHRSST-SSTskin-H08_AHI-v1.0-v02.0-fv01.0.nc" is a GHRSST SST name, which is not supported`},
	{"H08_20180501_0000_L3WLFbet_FLDK.06001_06001.csv", `himawari: extension ".csv" is not .nc`},
	{"IMG_DK01B14_201801110900", `himawari: name "IMG_DK01B14_201801110900" is not a Himawari Standard Data (HS_...) or P-Tree netCDF (NC_H..., H0...) name`},
}

func TestParseNameInvalid(t *testing.T) {
	for _, tc := range invalid {
		p, err := ParseName(tc.name)
		if err == nil {
			t.Errorf("%q: accepted as %+v", tc.name, p)
			continue
		}
		if err.Error() != tc.err {
			t.Errorf("%q:\n got %s\nwant %s", tc.name, err, tc.err)
		}
		var ne *NameError
		if !errors.As(err, &ne) || !errors.Is(err, ErrName) {
			t.Errorf("%q: %T does not wrap ErrName as a *NameError", tc.name, err)
		}
		if p != (Product{}) {
			t.Errorf("%q: error returned with %+v", tc.name, p)
		}
	}
}

// TestBands checks the band table against the guide's Table 1 in one place.
func TestBands(t *testing.T) {
	want := []float64{0.47, 0.51, 0.64, 0.86, 1.6, 2.3, 3.9, 6.2, 6.9, 7.3, 8.6, 9.6, 10.4, 11.2, 12.4, 13.3}
	for i, um := range want {
		if bands[i+1].um != um {
			t.Errorf("band %d: %v µm, want %v", i+1, bands[i+1].um, um)
		}
	}
}

func TestNameUnknownFormat(t *testing.T) {
	if n := (Product{}).Name(); n != "" {
		t.Errorf("zero Product named %q", n)
	}
}
