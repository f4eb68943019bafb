// Colour maps for scalar data shown as images: heatmaps of error maps and false-colour luminance.
//
// Magma and Viridis (perceptually uniform, readable in greyscale and by colour-blind viewers; FLIP shows its error
// maps in Magma) and Turbo (a rainbow with smooth lightness, good for false colour where every stop should look
// different) are evaluated from published polynomial fits (Magma/Viridis: Matt Zucker's fits of the matplotlib
// maps; Turbo: Ruofei Du's fit of Anton Mikhailov's map), accurate to a few 8-bit code values. Diverging is Kenneth
// Moreland's cool-warm map (blue below the middle, light grey at it, red above), linear between 9 of his published
// samples, for signed data where the sign matters as much as the size.
//
// Threading: pure functions, callable from any thread. Errors: t outside [0, 1] (or NaN) is clamped (NaN -> 0).
#pragma once

#include <QRgb>

#include <array>

namespace lmc {

enum class ColorMap { Magma = 0, Viridis = 1, Turbo = 2, Diverging = 3 };

// Colour at t in [0, 1] as linear 0..1 display RGB (sRGB-encoded, ready for 8-bit output).
std::array<double, 3> colorMapRgb(ColorMap map, double t);
QRgb colorMapColor(ColorMap map, double t);

// A 256-entry table of colorMapColor over evenly spaced t (entry i is t = i / 255), built once per map.
const std::array<QRgb, 256>& colorMapTable(ColorMap map);

}  // namespace lmc
