// BC6H encoder (UF16 and SF16) with four effort levels, plus an exhaustive level for the benchmark.
//
// Error metric. The encoder minimises the squared difference between decoded and input values expressed as log
// codes: the *continuous* half code (sign, then exponent * 1024 + mantissa, keeping a float's fractional mantissa
// so float32 input is not rounded twice), which is a piecewise-linear log2 scale with 1024 steps per octave above
// 2^-14, continued logarithmically through the half subnormals down to 2^-24 (and linearly to zero below; SF16
// offsets magnitudes so the scale stays monotonic through zero). One
// unit is a relative error of 1/1024 to 1/2048 whatever the brightness. Why this space:
//  * HDR metrics weigh relative error: log-PSNR compares logs, mPSNR averages tone-mapped errors over exposures so
//    every octave counts; a linear MSE would sacrifice the dark texels next to a lamp to the lamp's last digits.
//  * It is the domain BC6H itself interpolates in (endpoints are 16-bit codes that finish_unquantize turns into
//    half bits), so endpoint fitting stays linear least squares there.
//  * Plain half codes are linear below 2^-14, which made 0 and 2^-16 look close: on a night scene (exposure
//    reference 0.03, texels of 1e-5 next to black) that cost up to 3.8 dB mPSNR; the log continuation fixes it
//    for a loss of 0.2 dB log-PSNR on average (log-PSNR barely sees texels far below the median).
//  * Dark floor: texels far below the darkest lit surfaces (black gutters, denoiser residue at 1e-7) would
//    otherwise pull endpoints towards precision nobody sees. Whole-image encodes (and the codec) replace x by
//    x + f, with f half the 1st percentile of the positive luminances of the covered texels, so values well
//    below f stop counting as relative error while 0 versus f still costs an octave. Measured at `high` on 256x256
//    windows of the 15 real lightmaps: +0.16 dB mPSNR, +0.28 dB log-PSNR on average, up to +0.8 / +1.8 dB on the
//    darkest; a floor as high as the median luminance would gain 0.7 dB log-PSNR but lose 3.6 dB mPSNR (at normal). A
//    hard clamp at f instead (black and f counted equal) lost 3.5 dB mPSNR.
//  All channels weigh the same, as in mPSNR.
//
// Search. Endpoints start from a principal-axis fit per region, are quantized to each candidate mode's precision
// (transformed modes: deltas clamped to their field widths, wrap-around used where it fits), then refined by
// rounds of optimal indices (exhaustive over the palette the decoder builds, bit-exact) and least-squares
// endpoints. Partitions are ranked by the line-fit residual of their two regions (moments of all 32 at once);
// higher levels measure the best-ranked ones with one quick quantized fit and refine only the winners. Finally
// the best few candidates get a coordinate search of +-1 on every quantized endpoint value.
// Level   one-region modes  partitions                                 modes/partition  LS rounds  endpoint search
// fast    best 1            1, matched to a two-cluster split, only    best 1           1          -
//                           when one region leaves > 24 codes^2/value;
//                           constant blocks coded directly (see Speed)
// normal  best 2            best 2 by residual; hard blocks also       best 1           2          hard blocks only:
//                           best 8 by residual -> 1 by quick fit                                   2 best, 2 passes
// high    all 4             best 16 by residual -> 4 by quick fit,     best 2           2          2 best, 3 passes;
//                           + the black/lit split (see below)                                      hard blocks 4, 6
// max     all 4             all 32                                     all 10           4          8 best, 6 passes
// exhaustive (benchmark reference): as max with 6 least-squares rounds. Measured on 15 real lightmaps, max with
// fewer partitions or modes (the best 8-16 partitions by quick fit, 4 modes each) was 2-4x faster but up to 0.3 dB
// mPSNR below the exhaustive search on a few files; max is meant to be the near-exhaustive setting.
//
// Hard blocks. Blocks that mix black or near-black texels with lit ones (gutters, unlit faces, channels at
// exactly 0, denoiser residue of 1e-7..1e-6 beside 1e-2) are where high lost to max: it missed max by more than
// 0.3 dB on 4 of the 15 real lightmaps (worst +0.38 dB mPSNR, +1.9 dB log-PSNR), and in the error metric the loss sat
// in the blocks left above 1000 codes^2 per value (RMS 3 % relative; 1-27 % of the blocks of those files). Two
// causes: an endpoint below one code step (about 2e-6 at 10 bits) quantizes to code 0, which decodes to black,
// octaves below every dark texel; and the winner of the endpoint search is then often not the best refined
// candidate. Three rules at `high`:
//  * a refined candidate above 1000 codes^2 per value tries code 1 (SF16: -1) for its endpoint channels at code 0
//    whose region's texels are all lit in that channel, kept when the error drops;
//  * the partition nearest to the split of black texels (some channel exactly 0) from lit ones is refined too when
//    the ranking left it out (the moments rank in the interpolation domain, where black is close to dim);
//  * a block whose best refined candidate is still above 1000 codes^2 per value gets the endpoint search on its best
//    4 candidates with 6 passes instead of 2 with 3.
// Measured with bench_bc6h (2 threads) on the 15 real lightmaps, max - high over the files, worst mPSNR / worst
// log-PSNR: +0.38 / +1.89 dB before, +0.14 / +0.16 dB after; mean high 51.04 / 57.09 dB -> 51.15 / 57.38 dB (max
// 51.19 / 57.30). Cost: 2-5 % more CPU time at high (0.573 -> 0.561 Mtexel per CPU-second, mean of three
// alternating runs). In the error metric summed over each failing file, the lift alone took the dark horror interior
// from 0.63 dB above max to 0.41 dB below (max has no such rule), the wider endpoint search took the other three from
// 0.18-0.33 dB to 0.08-0.15 dB, and the black/lit split one of them from 0.10 to 0.05 dB.
// At `normal` the same blocks (above 1000 codes^2 per value after normal's own search) were where it lost most to
// high: on the 15 real lightmaps normal was up to 4.5 dB log-PSNR (the horror interior) and 3.6 dB mPSNR below high,
// which no chain ending in `normal` can make up. Running high's whole search on those blocks alone closed the gap to
// 0.8 dB on every file at half of normal's speed; enabled one at a time there, the endpoint search did most of it,
// the lift the rest on the horror interior, and partitions by quick fit most of what was left on mPSNR, while the
// black/lit split, all 4 one-region modes and 2 modes per partition gained nothing. So `normal` lifts black endpoints
// of refined candidates above 1000 codes^2 per value, and a block still above that line after its search also refines
// the best by quick fit of its 8 best-ranked partitions when not tried yet, then gets the endpoint search on its best
// 2 candidates with 2 passes; easy blocks take the search above unchanged. Measured with bench_bc6h (2 threads) on
// the 15 files, normal - high: mean -0.15 dB mPSNR / -0.19 dB log-PSNR, worst -0.82 / -0.83 dB (the smooth forest
// map, whose gap no hard-block rule changed: the rest of high's search decides there); mean normal 50.92 / 57.23 dB
// (high 51.07 / 57.42). Cost: 28 % of normal's CPU-time rate (four runs alternating with normal without the rules).
// Fast, high and max are unchanged by normal's rules (byte-identical output).
//
// Transcoding (a decoded map at load time; EncodeSettings::transcodeNoise > 0). A storage codec returns a channel
// that is exactly 0 in the original (saturated colours beside lit channels of 1e-2..1) as noise of its own size:
// JPEG XL gives +-1e-4, the odd 1e-3, and its negative values measure that noise (transcodeNoise). BC6H shares one
// index per texel across the channels and interpolates in the half-float bit pattern, a quasi-log scale, where noise
// between 0 and 1e-4 spans more codes than a lit channel's whole gradient across a block: weighed like the lit
// channels, the noise takes the indices and the endpoints (held-out V-Ray sphere, a JPEG XL d0.1 decode at 69 dB
// log-PSNR: normal on the decode 45.8 dB, on the original 56.5 dB). So each channel counts against a floor of its own
// texel, F = max(f, min(M / 8, 4 n)) with M the texel's brightest channel, f the dark floor and n the noise: channel
// x weighs ((x + f) / (x + F))^2, the ratio of the error space's slopes under both floors, in the index choice, the
// least-squares fits, the line fits (deviations scaled by the weights' square roots) and the quick fit's partition
// scores (the moments that shortlist partitions stay unweighted).
// An error at the noise's size in a channel far below its texel's level then counts as next to nothing, while lit
// channels keep a weight near 1 (a block whose weights all lie within 1/256 of 1 is searched unweighted). The weight is
// a first-order measure that under-counts an error far larger than the channel's own value, hence the cap at a few
// times the noise. Decided on the 11 training real lightmaps (JPEG XL d0.1/0.3/0.6/1 decoded then normal, visible
// texels): +0.09 dB log-PSNR / +0.03 dB mPSNR on mean, up to +0.83 / +0.17 dB, no row below -0.03 dB. Caps of 2 n and
// 16 n, and M / 2 or M / 32 for M / 8, measured alike (+0.06 to +0.13 / +0.02 to +0.03 dB; rows down to -0.07 dB).
// Without the cap (F = max(f, M / r)) r = 8 lost 0.28 dB log-PSNR on mean, r = 32 up to 0.54 dB log-PSNR / 0.30 dB
// mPSNR on one map, and r = 128, near neutral after JPEG XL, lost up to 2.1 dB mPSNR after AVIF q80/90/95. A decoded
// map without negative values (AVIF, a clean original) is encoded as before: its noise is unmeasured.
//
// Speed (bench_bc6h, 2 threads on the 2-core dev machine, the 15 real lightmaps; the CPU-time rate, texels per
// CPU-second, is the figure least disturbed by other load): fast 28.6-29.1 Mtexel/s wall, 14.6-14.9 per CPU-second;
// normal 9.8-10.1 / 5.0 without its hard-block rules (they take 28 % off, see above); high 2.0-2.1 / 1.02-1.04;
// max 0.14 per CPU-second. Before the changes below, measured back to back in the same session: fast 16.9-17.1 /
// 8.9, normal 2.7-2.8, high 0.59-0.61 per CPU-second, max 0.08. A profile of fast had prepareBlock and its log2 calls
// at ~28 % of the encoder's time, evalRegion ~20 %, partition matching ~12 %, the serial dark floor histogram ~4 %
// (twice that of the wall time with 2 threads).
//  * Constant blocks (16 bitwise-equal texels: 55 % of the blocks of the real lightmaps, black gutters and flat
//    half-float areas) are coded directly at `fast`: mode 13 (16-bit endpoints) with both endpoints on the half value
//    nearest to the texel in the error space, which is the least error any block can have. The search had found that
//    error too on these files (fast's mPSNR and log-PSNR are unchanged to 0.001 dB; 342 of 977k blocks decode
//    differently). The other levels still search such blocks, so their output stays as it was.
//  * A block equal to the previous block of its row (texels and weights, bitwise) takes its bytes, at every level: the
//    search is a pure function of both, so streams are unchanged (normal, high and max byte-identical on the 15 files).
//  * The automatic dark floor's histogram runs branch-free, 4 texels at a time, on the encoder's threads.
//  * Bit-identical: prepareBlock computes its log codes 4 at a time (std::log2 only for lanes below 2^-14, memoised),
//    the shortlist no longer zeroes 8 candidates per block, and fast's partition match looks the partition nearest to
//    a 16-texel split up in a 64k-entry table.
//
// Rate-distortion optimisation (EncodeSettings::rdo in (0, 1]; 0 = off, the search above byte for byte). What a game
// ships is the texture inside a zstd-compressed package, and plain BC6H blocks are close to random bytes there. With
// rdo > 0 each block takes, among candidates of nearly equal error, the one zstd codes in fewest bits: the least
// D + lambda * R. The output is standard BC6H for any decoder; only which blocks are written changes.
//  * D: the block's error in the error metric above with each texel weighted by its visibility, texels outside the
//    image's mask weighing 0 (rdo > 0 ignores uncoveredWeight: the mask the codec receives is the set of texels a
//    viewer can see, and nothing else is judged). Visibility: seen at the map's typical exposure, a texel x shows as
//    about l(x) = log2(1 + x / E) (E the median lit luminance of the texels in the mask; log-PSNR measures exactly
//    this), whose slope in log2(x) is x / (x + E). So an octave of error on a texel far below E changes what is seen
//    far less than on a lit surface, and the squared error counts (x / (x + E))^2 (x + f with the dark floor f,
//    averaged over the channels). The plain metric still bounds the loss (below).
//  * Pass 1: the level's search for every block with a texel in the mask, giving its error D0 (plain and weighted).
//    Blocks with none are left to pass 2, which makes them copies of an earlier block (a run of copies of the
//    previous block is one zstd match).
//  * Pass 2, on fixed segments of 16 block rows (so the output does not depend on the thread count), in raster order:
//    a block whose texels equal the previous block's takes its bytes as chosen (the least rate, the same allowance);
//    other blocks' candidates are their pass-1 block; copies of the window (the 24 blocks before it and the 3 above
//    it, as already chosen); the mode, partition and endpoint bits of the 4 window blocks whose decoded texels are
//    nearest, with the best indices for this block (anchors kept in the lower half, so those bits stay identical);
//    and the partition and index bits of every window block (each pattern once), with endpoints fitted by least
//    squares for those indices in this block's pass-1 mode and in the source's, then +-1 on each endpoint value for
//    the fits that could still win if that removed half their error.
//  * R: estimated bits of the block's 16 bytes after the blocks already chosen: the cheapest parse into literals
//    (8 bits each) and matches of at least 3 bytes at block-aligned offsets into the window (a new offset 8 + log2
//    of the offset in bytes, one of zstd's three repeat offsets 7, continuing a match that ran to the end of the
//    previous block 1); repeat offsets and the open match follow the chosen blocks. All literals is 128 bits, the
//    most any block is estimated at.
//  * lambda = kRdoErrorBound * rdo * Dt / 128, Dt the mean weighted D0 of the blocks with a texel in the mask. The
//    mean, not a typical block's error: a loss in dB is relative to the summed error, so the mean gives every map
//    the same relative trade, whether its error is spread evenly or sits in a few black-beside-lit blocks.
//  * Bound: a block is taken only when its plain error exceeds its plain D0 by at most kRdoErrorBound * rdo times the
//    mean plain D0 of the blocks with a texel in the mask, so the plain error summed over the texels in the mask
//    grows by at most kRdoErrorBound * rdo times that of pass 1 (the plain search with the texels outside the mask
//    not counted); rdo = 1 allows at most 10 log10(1 + kRdoErrorBound) dB in this metric. Real losses are far below
//    the bound (bench_bc6h_rdo measures them in log-PSNR and mPSNR).
//
// Input clean-up (documented behaviour): NaN -> 0; +Inf -> 65504 and -Inf -> -65504 (the largest finite half);
// magnitudes above 65504 clamp to 65504; UF16 clamps negative values to 0 (lightmaps are non-negative; use SF16
// to keep negatives). Partial edge blocks repeat the last row/column, and those copies carry no weight, so any
// size works. Texels the mask marks uncovered weigh EncodeSettings::uncoveredWeight (1 by default: measured on
// our lightmaps, lowering it changes mPSNR by < 0.01 dB, and gutters stay correct for bilinear filtering).
//
// Threading: encodeBlock is a pure function (no allocation after the first call, no shared mutable state);
// encodeBc6hBlocks computes the automatic dark floor and then spreads block rows (with rdo > 0 then segments) over
// CodecContext::resolvedThreads() threads, polls cancelled() before every band, block row or segment (-> Cancelled)
// and reports progress for the block rows (with rdo > 0: pass 1 0-70 %, pass 2 the rest). Output is identical for
// any thread count.
#pragma once

#include <cstddef>
#include <cstdint>

#include "codec/codec.h"
#include "codec/image.h"
#include "codec/result.h"

namespace lmc::bc6h {

enum class Level { Fast = 0, Normal = 1, High = 2, Max = 3, Exhaustive = 4 };

// The rate-distortion bound (see above): rdo adds at most kRdoErrorBound * rdo times pass 1's error. It also sets the
// slider's scale (lambda): on real lightmaps rdo = 1 costs about 1 dB log-PSNR.
constexpr float kRdoErrorBound = 4.0f;

struct EncodeSettings {
    bool isSigned = false;  // SF16 instead of UF16
    Level level = Level::Normal;
    // Linear value below which texels stop counting as relative error: 0 = off, < 0 = automatic (whole-image
    // encodes: half the 1st percentile of the positive luminances of covered texels); see above.
    float darkFloor = 0.0f;
    // Error weight of texels the image's mask marks uncovered (gutters), in [0, 1].
    float uncoveredWeight = 1.0f;
    // Rate-distortion optimisation for package compression, in [0, 1]; 0 = off (the search above, byte for byte).
    // Above 0 texels outside the mask do not count (uncoveredWeight is taken as 0) and each block takes the
    // candidate of least error + lambda * estimated compressed bits (see "Rate-distortion optimisation" above).
    float rdo = 0.0f;
    // The noise of a decoded map being transcoded (transcodeNoise); > 0 weighs each channel against a floor of its
    // own texel (see "Transcoding" above), 0 = off (every channel weighs alike). Ignored with rdo > 0.
    float transcodeNoise = 0.0f;
};

// Continuous half code of a float after the clean-up above (UF16: 0..0x7BFF; SF16: -0x7BFF..0x7BFF). The error
// metric is logCode of it (see above); tests use this to check the errors the encoder reports.
float continuousHalfCode(float value, bool isSigned);
// The automatic dark floor of an image (see EncodeSettings::darkFloor); 0 when no covered texel is lit.
float automaticDarkFloor(const ImageView& image);
// The automatic dark floor of a decoded map that is being transcoded (CodecContext::transcoding). A lightmap has no
// negative values, so a decoded map's are the storage codec's noise, and noise of that size sits on its black texels
// too: their tiny positive values would pull the 1st percentile of lit luminance (and so the floor) far below the
// original's, and the encoder would then spend its endpoints on the noise. So the percentile counts only the covered
// texels brighter than the noise, taken as the 99th percentile magnitude of the covered negative channel values. Nor
// do texels darker than the smallest positive half (2^-24), negatives or not: BC6H writes nothing between it and 0,
// and a map stored in halves has nothing there but 0, so they too are noise on black. AVIF's ringing leaves no
// negatives but such texels (geozebra, AVIF q95 -> normal: floor 8e-10 against the original's 1.1e-4, 39.3 dB
// log-PSNR; 53.4 dB without them); on the 11 training real lightmaps dropping them gained +0.07 / +0.06 dB log-PSNR /
// mPSNR on mean after AVIF q80/90/95 (the worst, one map at q95: -0.67 dB mPSNR, +0.70 dB log-PSNR) and +0.06 / +0.02
// dB after JPEG XL d0.3/0.6/1 (none lost). It is the noise's size, not its
// count, that decides: dropping one dimmest lit texel per covered texel with a negative channel instead was measured
// against this rule on the 11 training real lightmaps (JPEG XL d0.3/0.6/1 decoded then BC6H normal, visible texels):
// +0.24 dB log-PSNR on mean but -0.13 dB mPSNR (-1.3 dB on one map, and -1.1 dB log-PSNR on another), so it was not
// taken. Against the plain automatic floor this rule gains +0.88 dB log-PSNR and +0.29 dB mPSNR on mean there (both
// with `normal` before its hard-block rules). Setting the decoded values at or below the noise to exact 0 before the
// transcode, on the same maps (JPEG XL, `normal` with its hard-block rules; AVIF decodes have no negatives to size the
// noise), lost on both metrics: per channel -0.47 dB log-PSNR / -1.60 dB mPSNR on mean, whole texels -0.23 / -1.14,
// whole texels below a quarter of the noise -0.01 / -0.45; so the transcode does not snap.
// Without negatives (AVIF: PQ cannot carry them) the noise is sized by its own distribution. AVIF decodes black texels
// as faint values (2^-24..2^-19 on the training maps, where their originals have none): a
// cluster of faint texels cut off from the lit ones by a nearly empty valley, where the originals' dim texels reach up
// to the lit ones (none of the 11 training originals has such a valley). So texels under the highest valley of 3 stops
// below the median luminance that holds at most 1/64 as many counted texels as lie under it do not count either; a
// map with no such valley (and no negatives) gets automaticDarkFloor above 2^-24. With negatives this rule does not
// run: they measure the noise. Measured on the 11 training real lightmaps (AVIF q80/90/95 decoded then BC6H normal,
// visible texels): +0.17 dB log-PSNR and +0.18 dB mPSNR on mean, up to +2.0 / +2.7 dB (the seaside map, whose
// cluster held 15 % of the counted texels), worst row -0.02 / -0.06 dB; it fired on 13 of the 33 rows (5 maps).
// JPEG XL d0.3/0.6/1 decodes of those maps have no such valley, negatives or not (unchanged). A valley of 2 stops at
// 1/32 measured the same (+0.17 / +0.19 dB), 2 stops at 1/16 lost 0.39 dB mPSNR on one row, 4 stops at 1/64 gained
// half as much. Where the valley is filled or lies above the median luminance, the floor stays the plain one.
float transcodeDarkFloor(const ImageView& image);
// The same with the map's noise (transcodeNoise) already measured.
float transcodeDarkFloor(const ImageView& image, float noise);
// The noise of a decoded map: the 99th percentile magnitude of its covered negative channel values (a lightmap has
// none), 0 when it has none. A transcode passes it as EncodeSettings::transcodeNoise.
float transcodeNoise(const ImageView& image);
// The error metric's code of a value: continuousHalfCode continued logarithmically below 2^-14 (see above).
float errorCode(float value, bool isSigned);

// Encodes 16 texels (row-major 4x4, RGB). Returns the block's error in the metric above (sum over the 48
// values of squared log-code differences), which equals what decoding the written block gives.
float encodeBlock(const float texels[16][3], const EncodeSettings& settings, std::uint8_t out[16]);

// The same search restricted to one mode (0..13) and, for two-region modes, one partition (0..31); used by tests
// to exercise every mode and by the exhaustive reference. Returns the error as encodeBlock does.
float encodeBlockWithMode(const float texels[16][3], bool isSigned, int mode, int partition, std::uint8_t out[16]);

// Encodes a whole image into ceil(w/4) * ceil(h/4) blocks written to `out` (row-major, 16 bytes each).
Status encodeBc6hBlocks(const ImageView& image, const EncodeSettings& settings, const CodecContext& context,
                        std::uint8_t* out);

}  // namespace lmc::bc6h
