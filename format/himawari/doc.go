// Package himawari reads the catalogue fields that the file name of a
// Himawari-8/9 product carries: satellite, observation start (timeline),
// band, area, resolution and segment. No file is opened; a name is enough to
// file a product before it is downloaded.
//
// Parsing is strict. Every field is checked against the published naming
// conventions, and a name that breaks any of them is refused with a
// *NameError naming the part at fault. Only base names are accepted: a name
// holding a directory separator is refused, not trimmed. Names are case
// sensitive, because P-Tree uses case to tell products apart (R21 is the
// full-disk grid, r14 the Japan grid).
//
// # Himawari Standard Data (JMA, Himawari Standard Data User's Guide §4)
//
//	HS_Hnn_YYYYMMDD_hhmm_Bbb_AREA_Rjj_Skkll.DAT
//	HS_Hnn_YYYYMMDD_hhmm_Bbb_AREA_Rjj_Skkll.DAT.bz2
//
// where:
//   - Hnn: H08 (Himawari-8) or H09 (Himawari-9).
//   - YYYYMMDD_hhmm: the timeline, the nominal start of the 10-minute
//     observation cycle, in UTC; mm is 00, 10, ..., 50. A date before the
//     satellite's launch (2014-10-07 for H08, 2016-11-02 for H09) is refused.
//   - bb: band 01 to 16.
//   - AREA: FLDK (full disk), JP01 to JP04 (Japan area, the four 2.5-minute
//     observations of a timeline) or R301 to R304 (target area). The
//     landmark areas R4xx and R5xx are not distributed and are refused.
//   - jj: resolution at the sub-satellite point, which is fixed by the band:
//     05 (0.5 km) for band 3, 10 (1 km) for bands 1, 2 and 4, 20 (2 km) for
//     bands 5 to 16.
//   - kkll: segment kk of ll. The full disk is cut into ll = 10 segments;
//     the Japan and target areas come whole, as S0101.
//
// Bands map to the nominal central wavelengths of the guide's Table 1 (0.47,
// 0.51, 0.64, 0.86, 1.6, 2.3, 3.9, 6.2, 6.9, 7.3, 8.6, 9.6, 10.4, 11.2, 12.4,
// 13.3 µm): bands 1-3 are visible, 4-6 near-infrared, 7-16 infrared.
//
// # JAXA P-Tree netCDF products (P-Tree READMEs for L1 gridded and geophysical data)
//
//	[NC_]Hnn_YYYYMMDD_hhmm_CODE[VER]_FLDK.ppppp_lllll.nc
//
// VER is the algorithm version, three digits ("010", "031") or "bet" for a
// beta; ppppp_lllll is the grid, pixels by lines. Whether the name starts
// with NC_ depends on the product, as P-Tree names them:
//
//	NC_  R21       L1 gridded, full disk, 5 km or 2 km (no VER)
//	NC_  r14       L1 gridded Japan 24N-50N 123E-150E, 1 km (no VER)
//	NC_  L2ARP     L2 aerosol property, 5 km
//	NC_  L2CLP     L2 cloud property, 5 km
//	     RFL       L2 shortwave radiation and PAR, 5 km
//	     rFL       L2 shortwave radiation and PAR, Japan 1 km
//	     1HARP     L3 hourly aerosol property, 5 km (also 1DARP daily, 1MARP monthly)
//	     1H_RFL    L3 hourly shortwave radiation and PAR, 5 km (1D_, 1M_; rFL: Japan 1 km)
//	     1H_ROC    L3 hourly chlorophyll-a, 5 km (1D_, 1M_; rOC: Japan 1 km)
//	     1MSST     L3 monthly sea surface temperature, 2 km
//
// Grids: 5 km is 02401_02401 (0.05°, 80E-160W) or 02801_02401 (70E-150W,
// the wider range JAXA adopted on 2025-10-01); 2 km is 06001_06001 (0.02°)
// or 07001_06001; Japan 1 km is 02701_02601 (0.01°). L2 and L1 products are on
// the 10-minute timeline; hourly L3 products start on the hour, daily ones
// at 0000 and monthly ones at 0000 on the first of the month.
//
// Not accepted: GHRSST-named SST files (YYYYMMDDhhmmss-JAXA-L2P_GHRSST-...),
// the wildfire CSV files, and HRIT or other formats.
package himawari
