// AVIF: lightmaps as AV1 still images through Debian's libavif (0.11) with libaom, registry id "avif". The stream is
// a standard .avif file (ftyp avif, one AV1 item) that avifdec and other viewers open.
//
// Coding: the map is multiplied by a per-image scale S (nits per unit of the map's linear values), encoded with the
// SMPTE ST 2084 (PQ) transfer as 16-bit full-range RGB, and handed to libavif, which converts it to 12-bit 4:4:4
// (CICP 1/16/1: BT.709 primaries, PQ, the BT.709 matrix below, full range). PQ covers 0..10000 nits, so S is chosen
// so that the map's peak (largest covered channel value after clean-up) lands at kAvifPeakNits = 10000: PQ's
// relative precision is finest at the top of its range, so the brightest placement that clips nothing gives every
// texel the finest steps. Measured on the 15 real lightmaps (quality 70/84/92/98, speed 6, visible texels, identity
// matrix), BD-rate against this rule, median over files: peak at 1000 nits -5.3% log-PSNR but +10.8% mPSNR
// (shadows fall into PQ's coarse bottom); 99.9th percentile at 10000 nits (clipping the top 0.1%) +6.8% / -0.6%.
// A map without a positive value gets S = 1; S is capped at the largest float (peaks below about 3e-35).
//
// The scale travels in an XMP metadata item (about 200 bytes, counted in every bitrate), as the attribute
// lmc:nitsPerUnit of namespace "urn:lightmap-codec-studio:avif:1" written with the shortest decimal that reads back
// as the same float, so the decoder divides by exactly the encoder's S. XMP rather than our .lmc container keeps
// the file a standard .avif (libavif 0.11 has no CLLI box, which could not hold an exact scale anyway); viewers
// that ignore the XMP show the map at S nits per unit. A PQ .avif without that attribute decodes in nits (S = 1).
//
// Matrix: BT.709 YCbCr (MC 1, full range, 4:4:4). Measured the same way, BD-rate against identity (MC 0, planes
// G, B, R), median over files: BT.709 -18.1% log-PSNR / -13.9% mPSNR, BT.2020 NCL -18.0% / -12.9%; BT.709 also
// matches the primaries.
//
// Parameters: `quality` (the rate slider, 0..100, default 90) mapped to one AV1 quantizer the way avifenc 1.x's -q
// does: q = ((100 - quality) * 63 + 50) / 100 (integer division), minQuantizer = maxQuantizer = q; Debian's avifenc
// 0.11 has no -q, so the same file comes from `avifenc --min q --max q`. `speed` (0..10, default 6) as avifenc -s.
// Files are identical to
//   avifenc IN.png OUT.avif --depth 12 -y 444 -r full --cicp 1/16/1 --min q --max q -s SPEED --xmp XMP -c aom -j 1
// given the 16-bit PNG of avifCodedPlanes() and the XMP packet avifScaleXmp(S) (tests/bench/bench_peer_wrappers.cpp
// checks it on the real lightmaps).
//
// Input clean-up: NaN -> 0, +Inf -> 65504; PQ cannot carry negative values, so negatives and -Inf are clamped to 0
// (traits().keepsNegatives is false and the schema says so). Texels outside the mask (encodeImage passes the visible
// set) are pull-push filled so gutters cost almost no bits.
//
// Decoding: any 8/10/12-bit AVIF with the PQ transfer (other transfers are Unsupported), converted to RGB by
// libavif, then PQ-decoded and divided by S. Damaged or truncated files give CorruptData, sizes over
// checkImageSize TooLarge (checked after parsing the header, before any AV1 frame is decoded), and non-finite
// values cannot arise from PQ decoding. Never a crash.
//
// Threading: libavif's maxThreads = CodecContext::resolvedThreads() (libaom's encoder threads, dav1d's decoder
// threads). libaom's row multithreading makes the bytes depend on the thread count (measured: a 300x280 map gave
// 94196 bytes with avifenc -j 1 and 94155 with -j 2), so it is turned off (aom option row-mt=0): the bytes then do
// not depend on the thread count (the tests check it) and equal avifenc's default single-threaded output; the
// price is that encoding gains little from threads. libavif has no cancel call: cancellation is polled before and
// after encoding and decoding. Calls may run concurrently. Errors: Result, never exceptions.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "codec/codec.h"

namespace lmc {

// The codec registered as "avif".
std::unique_ptr<Codec> makeAvifCodec();

// Nits at which the map's peak is placed (PQ's ceiling).
constexpr double kAvifPeakNits = 10000.0;
// CICP matrix coefficients of our files (1 = BT.709).
constexpr int kAvifMatrix = 1;

// The scale S (nits per unit) the encoder uses for this image.
float avifPqScale(const ImageView& image);

// The 16-bit full-range PQ RGB the encoder hands to libavif (interleaved, width * height * 3, top row first),
// after clean-up and the fill of uncovered texels: the input a reference tool must get for a like-for-like test.
Result<std::vector<std::uint16_t>> avifCodedPlanes(const ImageView& image, float scale);

// The XMP packet that carries S.
std::string avifScaleXmp(float scale);

// One AV1 quantizer for a quality 0..100 (avifenc 1.x's -q mapping).
int avifQuantizerForQuality(int quality);

// Explicit settings, for measurements (matrix: 0 identity, 1 BT.709, 9 BT.2020 NCL; scale > 0).
struct AvifSettings {
    int quality = 90;
    int speed = 6;
    int matrix = kAvifMatrix;
    float scale = 1.0f;
};
Result<Bytes> encodeAvif(const ImageView& image, const AvifSettings& settings, const CodecContext& context);

}  // namespace lmc
