// BC6H codec (registry id "bc6h"): HDR lightmaps as DirectX BC6H textures, 8 bits per stored texel. At full
// resolution the stream is a .dds file with the DX10 header that GPUs, engines and DDS tools load directly.
//
// Parameters: resolution = quarter | half | full (default; the rate parameter, ordered from fewest to most bits).
// Half and quarter are what game teams do to spend fewer bits on a BC6H lightmap: bake it at 1/2 or 1/4 of the
// size per axis and let the GPU's bilinear filter upsample it. The encoder makes the small image with a
// coverage-weighted box filter (bc6h_resample.h: uncovered and black gutter texels do not darken chart borders),
// encodes it exactly as at full resolution, and writes our .lmc container (container.h; header width/height = the
// ORIGINAL size, params text as formatParamSet) whose payload is
//   u8 payload version (1), u8 factor (2 or 4), then the small image's complete .dds file (ceil(W/f) x ceil(H/f)),
// so an engine can cut the DDS out and load it as is. Bitrate = stream bytes * 8 / original texels, about 2 and
// 0.5 bpp. Decoding BC6H-decodes the small texture and upsamples it bilinearly to the original size as a GPU
// sampler does (texel centres aligned, clamp to edge); the decoder does not know the original's mask, metrics use
// the source's. traits().fileExtension is ".lmc" for these settings and ".dds" at full resolution.
// quality = fast | normal | high (default) | max, the encoder's effort (bc6h_encoder.h lists what each level
// searches); it does not change the bitrate. format = uf16 (default; negative input clamps to 0) | sf16 (keeps
// negatives; traits().keepsNegatives is true only for it).
// supercompression = none (default) | zstd: what a game ships in a compressed package. At full resolution the stream
// is then the DDS file above as one standard zstd frame (level 19, content size and checksum in the frame header;
// `zstd -d x.dds.zst` gives the DDS back byte for byte; traits().fileExtension says ".dds.zst"); at half / quarter
// resolution the .lmc payload is u8 version 2, u8 factor, then the small DDS as such a frame. The texels decoded are
// exactly those without supercompression; traits().gpuBitsPerTexel stays 8 / 2 / 0.5 (the GPU holds the BC6H blocks).
// rdo = 0 (default) .. 1: rate-distortion optimised encoding (bc6h_encoder.h): blocks that zstd and other package
// compressors code in fewer bits, at an error that grows by at most bc6h::kRdoErrorBound * rdo times the plain
// search's in the encoder's metric, at every quality level and resolution; the stream stays standard BC6H and the same
// DDS / .lmc format. Texels outside the mask given to encode() are not kept when rdo > 0 (encodeImage passes the
// visible texels, which are all the metrics judge). It is what moves the size of a .dds.zst, but the schema's rate
// parameter stays `resolution`: a schema has one rate knob, fixed, and rdo only moves the rate with supercompression
// on (without it every stream is 8 bpp). Sweep it as `lmc eval -c bc6h -p supercompression=zstd --sweep
// rdo=0,0.25,0.5,1`. At half / quarter resolution the small texture has no mask (every texel counts) and the
// container's parameter text names rdo only when it is above 0.
// Decoding a frame: its announced size must be present and at most the largest legal BC6H DDS (for kMaxImageTexels)
// before anything is decompressed, and, once the DDS header is, at most the size of that header's texture with a
// full mip chain; only then is the output allocated, so a small hostile frame cannot make us allocate more than a
// real texture of its declared size needs. Truncated, damaged (checksum) or trailing data give CorruptData.
// Input clean-up: NaN -> 0, +-Inf -> +-65504, |x| > 65504 -> 65504, UF16 negatives -> 0. At rdo = 0 masks are ignored
// when encoding at full resolution (gutter texels are encoded like any other, since bilinear filtering reads them at
// chart edges), except that the automatic dark floor of the error metric (bc6h_encoder.h) is taken from the
// covered texels (of the original at every resolution; above the decoded map's noise when CodecContext::transcoding,
// which also weighs each channel against a floor of its own texel where the decoded map has negative values: see
// "Transcoding" in bc6h_encoder.h).
//
// Threading: stateless; encode and decode split rows over the context's threads, poll cancellation per row
// (Cancelled) and report progress (at reduced resolution: downscale 0-10 %, encode the rest; decode 0-30 %, upsample
// the rest); zstd runs on the calling thread after the blocks, with cancellation polled before it. Errors: bad DDS
// files give CorruptData/Unsupported/TooLarge (see dds.h); a damaged .lmc stream gives CorruptData (checksum, payload
// version, factor, or a texture size that does not match the original's), never a crash.
#pragma once

#include <memory>

#include "codec/codec.h"

namespace lmc {

std::unique_ptr<Codec> makeBc6hCodec();

}  // namespace lmc
