// Package synop reads WMO FM 12 SYNOP bulletins (surface observations from
// land stations, Level 1) and decodes them into values (Level 2).
//
// Parse takes a whole received file: ZCZC/NNNN framing, SOH/ETX and carriage
// returns, any number of bulletins, the abbreviated heading TTAAii CCCC
// YYGGgg [BBB], section 0 (AAXX YYGGiw, once per bulletin or before every
// report) and reports ending in '=' over as many lines as they need. Every
// report keeps its text as received. BBXX and OOXX bulletins (ships, mobile
// stations) are recognised and skipped with a Problem. Whatever cannot be
// read becomes a Problem on the file, bulletin or report, and the rest is
// still decoded; only an input with nothing SYNOP-like in it is an error.
//
// Decoded, per report:
//
//   - section 0: the wind unit and whether the wind was measured (iw);
//   - section 1: every group — iRixhVV, Nddff with 00fff, 1SnTTT,
//     2SnTdTdTd or 29UUU, 3P0P0P0P0, 4PPPP or 4a3hhh, 5appp, 6RRRtR,
//     7wwW1W2 or 7wawaWa1Wa2, 8NhCLCMCH, 9GGgg; relative humidity is
//     computed from temperature and dew point when not reported;
//   - section 2: the sea-surface temperature 0SsTwTwTw; the other groups
//     are kept as received;
//   - section 3: 1SnTxTxTx and 2SnTnTnTn with their regional period,
//     3EsnTgTg, 4E'sss, 5EEEiE, 54g0sndT, 55SSS and 553SS with the
//     radiation groups that follow them (and 5540x, 5550x), 56DLDMDH,
//     57CDaeC, 58/59p24p24p24, 6RRRtR, 7R24R24R24R24, 8NsChshs, and of
//     9SpSpspsp the groups 907tt, 910ff, 911ff, 912ff, 913ff and 915dd.
//
// Kept uninterpreted: the regional 0xxxx group of section 3, the other
// 9SpSpspsp groups (named by their class in code table 3778), sections 4
// and 5 and national sections 666 … 999.
//
// Values are in °C, hPa, m/s, m, mm, oktas, minutes or hours and J/m²; each
// field names its unit. Code-table values carry their description (tables
// in tables.go). A SYNOP holds no month or year: ResolveTime completes a
// report time against the time the file was received, which
// ReferenceFromFilename reads from WMO-convention file names.
//
// The parser is pure and bounded: no I/O, input above MaxInputSize is
// refused before any work, and the groups, reports and problems kept are
// capped so that hostile input cannot make it allocate without limit.
package synop
