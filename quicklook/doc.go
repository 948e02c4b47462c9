// Package quicklook draws a weather-radar sweep as a picture, for a quick
// look in a browser rather than for analysis.
//
// Render maps a PPI (plan position indicator: one elevation sweep of one
// moment, in polar coordinates) onto a square image with the radar at the
// centre, north up and east to the right. The edge of the image, at the
// middle of each side, is the far end of the last gate; corners lie beyond
// it and stay transparent. Each pixel is converted to azimuth and range and
// takes the value of the gate it falls in on the nearest ray, so the
// picture is honest about the data: no interpolation between rays or gates.
// Rays may come in any order, start at any azimuth and leave gaps; a pixel
// whose nearest ray is more than 1.5 times the median ray spacing away
// stays transparent, so a missing sector shows as missing instead of being
// smeared over by its neighbours.
//
// Transparent pixels mean "no picture here": outside the range of the
// sweep, in a gap between rays, no data (NaN), or a value below the scale's
// first threshold.
//
// Two overlays help reading the picture:
//   - thin grey range rings every 50 km, one pixel wide, drawn over the data;
//     they are left out when rings would be less than 4 pixels apart;
//   - a legend strip in the bottom-left corner: one box per colour of the
//     scale, lowest value on the left, size/16 pixels high and at most a
//     quarter of the width. The corner lies outside the range circle, so the
//     legend never hides data. It is left out when the scale has more than
//     size/4 colours.
package quicklook
