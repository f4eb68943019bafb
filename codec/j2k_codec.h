// JPEG 2000 (registry id "j2k") through Debian's OpenJPEG (libopenjp2 2.5): the lightmap as three 16-bit planes
// holding the SMPTE ST 2084 (PQ) encoding of the map scaled so that its peak sits at PQ's top (10000 cd/m2), coded
// with the irreversible 9/7 wavelet and the irreversible colour transform (ICT), one quality layer.
//
// Stream: a standard raw JPEG 2000 codestream (.j2k; opj_decompress, Kakadu, GIMP open it and show the PQ code
// values), 3 components, 16 bits unsigned, no subsampling, one tile, image and tile origin 0. The one thing the decoder
// needs beyond the codestream is the scale; it travels in the codestream's own comment marker (COM, Rcom = 1, Latin
// text) as "lmc-pq-peak=XXXXXXXX", the IEEE-754 bits of the float32 peak in hex, so the scale round trip is exact
// and locale-free. That comment replaces the "Created by OpenJPEG" one, so the stream carries nothing else.
//   code = round(65535 * PQ(v / peak)),  v = peak * PQ^-1(code / 65535)
// where peak is the largest cleaned channel value of the texels inside the encoder's mask (all texels without one;
// 0 for an all-black map, which decodes to 0); texels outside the mask above it clamp, then are filled over.
//
// Parameters: `rate`, the slider, the target bits per texel of the whole codestream (header included) passed to
// OpenJPEG's rate allocation as the compression ratio 48 / rate (higherIsMoreBits = true, 0.05..16; OpenJPEG treats
// the target as a ceiling, so simple maps come out smaller). Every stream may use at least 512 bytes: below that the
// ~130-byte header leaves the rate allocation nothing, so maps under about 4096 / rate texels exceed the target.
//
// Input clean-up: NaN -> 0, +Inf -> 65504; negatives and -Inf clamp to 0 (PQ has no negatives: traits().keepsNegatives
// is false and the schema says so). Texels outside the mask the encoder is given (encodeImage passes the visible set)
// are filled pull-push in the PQ domain, so the wavelet spends no bits on gutter edges.
//
// Decoding accepts codestreams of this layout only (3 components, 16-bit unsigned, one tile, full resolution, our
// comment) and validates the main header (SIZ: size via checkImageSize, components, tiling) before OpenJPEG parses
// it; a damaged or truncated stream gives CorruptData, never a crash. OpenJPEG's messages go to our handlers (nothing
// is printed); its last error message becomes the Error's text.
//
// Threading: each call owns its OpenJPEG codec and streams; OpenJPEG codes code-blocks on
// CodecContext::resolvedThreads() threads (opj_codec_set_threads), and the PQ conversions run on the same number of
// threads. OpenJPEG cannot be interrupted: cancellation is polled before and after its calls and between conversion
// rows. Errors: Result, never exceptions.
#pragma once

#include <memory>

#include "codec/codec.h"

namespace lmc {

// The codec registered as "j2k".
std::unique_ptr<Codec> makeJ2kCodec();

}  // namespace lmc
