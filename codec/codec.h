// The Codec interface, the context a codec runs in (cancel token, progress, threads), and the registry that maps
// stable codec ids ("jpeg", "bc6h", "astc", "ae", "vae", "gan") to codec instances.
//
// A codec turns an ImageView into bytes and bytes back into an Image. The bytes are the complete stream a game
// would ship (our .lmc container, or the codec's standard container such as DDS); bitrate is always
// bytes * 8 / texels of exactly those bytes, header included (see bitsPerTexel).
//
// Threading: Codec instances are immutable after registration (what a codec keeps between calls lives in the
// caller's CodecCache, handed over in CodecContext); encode/decode are const and may run concurrently from several
// threads. Long operations poll CodecContext::cancelled() at least once per block row or tile and
// report progress in [0, 1]. Errors: Result/Status, never exceptions; a damaged or truncated stream gives
// CorruptData, never a crash or a garbage image.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/codec_cache.h"
#include "codec/image.h"
#include "codec/params.h"
#include "codec/result.h"

namespace lmc {

using Bytes = std::vector<std::uint8_t>;

// Shared between the thread that asks for cancellation (UI) and the worker that polls it.
class CancelToken {
public:
    void cancel() { cancelled_.store(true, std::memory_order_relaxed); }
    bool isCancelled() const { return cancelled_.load(std::memory_order_relaxed); }
    void reset() { cancelled_.store(false, std::memory_order_relaxed); }

private:
    std::atomic<bool> cancelled_{false};
};

struct CodecContext {
    const CancelToken* cancel = nullptr;
    // Called from the encoding/decoding thread(s) with a fraction in [0, 1]; must be thread-safe and cheap.
    std::function<void(double)> progress;
    int threads = 0;  // worker threads a codec may use; 0 = all hardware threads
    // Where learned codecs run ("cpu", "cuda:0"; see availableTorchDevices()). Empty = the fastest available.
    // Classical codecs ignore it. Streams decode to identical texels whichever device encoded them.
    std::string device;
    // Work kept between calls for this caller (codec_cache.h): one per codec and source image; null keeps nothing.
    CodecCache* cache = nullptr;
    // The image to encode is another codec's decoded output (a storage -> GPU chain's load-time transcode,
    // evaluate.h): its negative values are that codec's noise, not light. GPU encoders may use it to tell the noise
    // around black from dark texels (BC6H's automatic dark floor does); others ignore it.
    bool transcoding = false;

    bool cancelled() const { return cancel != nullptr && cancel->isCancelled(); }
    void report(double fraction) const {
        if (progress) progress(fraction);
    }
    int resolvedThreads() const;
};

inline Error cancelledError() {
    return makeError(ErrorCode::Cancelled, "cancelled");
}

class Codec {
public:
    virtual ~Codec() = default;

    virtual std::string id() const = 0;           // stable registry id
    virtual std::string name() const = 0;         // English display name
    virtual std::string description() const = 0;  // one English sentence
    virtual ParamSchema schema() const = 0;
    // Extension of the file `lmc encode` writes by default (".lmc" for our container, ".dds", ".astc").
    virtual std::string fileExtension() const { return ".lmc"; }
    // The extension of the stream these parameters produce, where it depends on them (BC6H at a reduced resolution
    // writes .lmc instead of .dds). Output paths should use this one.
    virtual std::string fileExtensionFor(const ParamSet& params) const { return fileExtension(); }

    // `params` are validated against schema() by the caller (see validateParams); codecs may assume that.
    // image.mask, when present, marks the texels to code faithfully; others are never judged (encodeImage passes
    // the visible set).
    virtual Result<Bytes> encode(const ImageView& image, const ParamSet& params, const CodecContext& context) const = 0;
    virtual Result<Image> decode(const std::uint8_t* data, std::size_t size, const CodecContext& context) const = 0;

    // True when the bytes are a stream of this codec: by default our container naming id().
    virtual bool recognizes(const std::uint8_t* data, std::size_t size) const;

    // Whether these parameters keep negative input values (BC6H SF16, JPEG XL, OpenEXR). Codecs that clamp them to
    // 0 say so in their schema; the pipeline warns when an image with negative values meets such a codec.
    virtual bool keepsNegatives(const ParamSet& params) const { return false; }

    // Bits per texel the decoded texture occupies in GPU memory when the stream is a GPU block format (BC6H: 8 at
    // full resolution, 2 at half; ASTC: 128 / block texels), 0 for storage codecs that a game must decode first.
    virtual double gpuBitsPerTexel(const ParamSet& params) const { return 0.0; }

    // True for codecs whose encode/decode run neural networks (about a second per megapixel rather than tens of
    // milliseconds): the UI runs their jobs behind the block codecs' so those paint first.
    virtual bool runsNeuralNetworks() const { return false; }

    // The parameter the UI shows as the prominent rate slider, if the codec has one.
    std::optional<ParamSpec> rateParam() const;

    Result<Image> decode(const Bytes& bytes, const CodecContext& context) const {
        return decode(bytes.data(), bytes.size(), context);
    }
};

// Validated encode: checks the params against the schema and the image size first, and hands the codec the
// visible texels (image.h: coverage dilated by one texel) as its mask, so every codec codes faithfully what a
// bilinear lookup inside a chart can show. Every pipeline (app, CLI, presets) encodes through this function.
Result<Bytes> encodeImage(const Codec& codec, const ImageView& image, const ParamSet& params,
                          const CodecContext& context);

inline double bitsPerTexel(std::size_t bytes, std::int64_t texels) {
    return texels > 0 ? double(bytes) * 8.0 / double(texels) : 0.0;
}

class CodecRegistry {
public:
    // The registry with every built-in codec, created on first use (thread-safe).
    static const CodecRegistry& builtin();

    void add(std::unique_ptr<Codec> codec);
    const Codec* find(std::string_view id) const;
    std::vector<const Codec*> codecs() const;
    std::vector<std::string> ids() const;
    // The codec that recognises a stream, or nullptr.
    const Codec* detect(const std::uint8_t* data, std::size_t size) const;

private:
    std::vector<std::unique_ptr<Codec>> codecs_;
};

// Decodes any stream a registered codec recognises.
Result<Image> decodeAny(const CodecRegistry& registry, const std::uint8_t* data, std::size_t size,
                        const CodecContext& context);

}  // namespace lmc
