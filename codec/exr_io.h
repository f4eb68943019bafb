// OpenEXR reading and writing for lightmaps.
//
// Reading: scanline or tiled, single- or multi-part (the first part with colour channels), half / float / uint
// channels, found by name in any stored order (Godot stores B,G,R; Unity A,B,G,R). Luminance-only files (a "Y"
// channel, optionally with RY/BY chroma) load as grey RGB. An "A" channel becomes the coverage mask when every
// alpha value is exactly 0 or 1; other alpha channels (e.g. Enlighten's 0..2) are ignored. Unity 4 / Beast marks
// empty texels with RGB = (-1, -1, -1): such texels load as 0 and uncovered. Other values, negatives, NaN and Inf
// load unchanged (codecs sanitise their own input; metrics skip non-finite texels).
// Deep images, files without colour channels and sizes refused by checkImageSize give clear errors; the size
// check happens on the header, before any pixel buffer is allocated.
//
// Missing colour channels (e.g. only R and G) load as 0. Subsampled chroma (RY/BY) is interpolated bilinearly. Tiled
// files with mipmaps load their full-resolution level. Damaged, truncated or non-EXR input gives CorruptData, never a
// crash: reading goes through OpenEXRCore on an in-memory copy, so readExr and readExrFromMemory share one path.
//
// Writing: RGB (+ A from the mask when present) as half (default) or float, with ZIP/PIZ/none compression,
// written atomically (see file_io.h) and never onto `protectedSource`. Half output clamps finite values beyond
// +-65504 (the largest half) to +-65504 instead of letting them become infinite; NaN and +-Inf are written as is.
// The file has a data window at the origin and channels R, G, B (and A: 1 = covered, 0 = not).
//
// Threading: independent calls may run concurrently. OpenEXR's global thread pool is left at its default.
// Errors: Result/Status; OpenEXR exceptions never escape.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codec/image.h"
#include "codec/result.h"

namespace lmc {

struct ExrInfo {
    int width = 0;  // of the data window (the display window is ignored)
    int height = 0;
    int dataWindowX = 0;  // data window origin as stored (often 0, may be negative)
    int dataWindowY = 0;
    std::vector<std::string> channels;  // of the part read, as stored, e.g. {"A","B","G","R"}
    std::string pixelType;              // over those channels: "half", "float", "uint" or "mixed"
    std::string compression;            // "none", "rle", "zips", "zip", "piz", "pxr24", "b44", "b44a", "dwaa", ...
    bool tiled = false;
    int partCount = 1;
    int partUsed = 0;  // index of the part we read
    bool luminanceOnly = false;
    bool alphaIsMask = false;            // an A channel exists and holds only 0/1
    std::int64_t emptyMarkerTexels = 0;  // texels with RGB = -1 (Unity 4), loaded as uncovered zeros
};

struct LoadedExr {
    Image image;
    ExrInfo info;
};

Result<LoadedExr> readExr(const std::string& path);
Result<LoadedExr> readExrFromMemory(const std::uint8_t* data, std::size_t size);

enum class ExrPixelType { Half, Float };
enum class ExrCompression { None, Zip, Piz };

struct ExrWriteOptions {
    ExrPixelType pixelType = ExrPixelType::Half;
    ExrCompression compression = ExrCompression::Zip;
    bool writeMaskAsAlpha = true;  // when the image has a mask
    std::string protectedSource;   // never overwrite this file (the input the image came from)
};

Status writeExr(const std::string& path, const ImageView& image, const ExrWriteOptions& options = {});
Result<std::vector<std::uint8_t>> writeExrToMemory(const ImageView& image, const ExrWriteOptions& options = {});

}  // namespace lmc
