// Our portable weight file (.lmcw) for the learned codecs: model config, version, named float32 tensors with their
// shapes, and a checksum. It does not depend on LibTorch's own serialisation, so weights trained with one LibTorch
// build (pip torch on a GPU machine) load with another (Debian's 1.13) and in our torch-free inference code.
//
// Layout (all integers little-endian, floats IEEE-754 binary32 little-endian):
//   "LMCW" 0x1A 0x0A        6 bytes magic
//   u16 format version      (1)
//   u32 n, then n bytes     metadata text: "key=value\n" lines (model config, kind, training notes)
//   u32 tensor count
//   per tensor: u16 name length + name (ASCII), u8 rank (0..4), rank x u32 dims, then product(dims) x f32
//   u32 CRC-32 (container.h's) of every byte before it
// Nothing may follow. A file is a "model" (what the codecs load) or a "checkpoint" (model parameters in training
// form plus Adam moments; metadata kind=checkpoint).
//
// Threading: plain values. Errors: readWeightFile returns IoError for a missing file and CorruptData for anything
// malformed (bad magic/version, truncation, trailing bytes, absurd sizes, checksum mismatch, non-finite values).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "codec/result.h"

namespace lmc::learned {

constexpr std::uint16_t kWeightFileVersion = 1;

struct WeightTensor {
    std::vector<std::int64_t> shape;
    std::vector<float> data;
    std::int64_t elementCount() const;
};

struct WeightFile {
    std::map<std::string, std::string> metadata;
    std::map<std::string, WeightTensor> tensors;

    const WeightTensor* find(const std::string& name) const;
    // The tensor with exactly this shape, or a CorruptData error naming what is wrong.
    Result<const WeightTensor*> require(const std::string& name, const std::vector<std::int64_t>& shape) const;

    std::vector<std::uint8_t> serialize() const;
    static Result<WeightFile> deserialize(const std::uint8_t* data, std::size_t size);
    // CRC-32 of the serialized bytes' checksum field: identifies the weights inside streams.
    std::uint32_t fingerprint() const;
};

Result<WeightFile> readWeightFile(const std::string& path);
// Atomic write (file_io.h's writeFileAtomic).
Status writeWeightFile(const std::string& path, const WeightFile& file);

}  // namespace lmc::learned
