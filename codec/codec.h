// The Codec interface, the context a codec runs in (cancel token, progress, threads), and the registry that maps
// stable codec ids ("jpeg", "bc6h", "astc", "ae", "vae", "gan") to codec instances.
//
// A codec turns an ImageView into bytes and bytes back into an Image. The bytes are the complete stream a game
// would ship (our .lmc container, or the codec's standard container such as DDS); bitrate is always
// bytes * 8 / texels of exactly those bytes, header included (see bitsPerTexel).
//
// Neutral by design: what a caller needs to know about a codec beyond encode/decode (file extension, whether
// negative values survive, GPU memory, rough cost) is one value, CodecTraits, that the codec describes itself with
// for given parameters (as OpenImageIO's ImageOutput::supports() answers feature questions). Options that only one
// codec family understands (the learned codecs' device) do not appear here: the caller sets them through that
// family's own functions (codec/learned/learned_codec.h setDevice), which store them as a typed entry of
// CodecContext::extensions; every other codec never sees them.
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
#include <typeindex>
#include <typeinfo>
#include <utility>
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

// Options of one codec family, carried through the neutral context (and every pipeline that copies it) without
// the context knowing them. Set and read only through the family's own functions, keyed by the option's type;
// copies share the values, which are immutable once set.
class CodecExtensions {
public:
    template <class T>
    void set(T value) {
        auto stored = std::make_shared<const T>(std::move(value));
        for (auto& entry : entries_)
            if (entry.first == std::type_index(typeid(T))) {
                entry.second = std::move(stored);
                return;
            }
        entries_.emplace_back(std::type_index(typeid(T)), std::move(stored));
    }
    // The value set for T, or null.
    template <class T>
    const T* get() const {
        for (const auto& entry : entries_)
            if (entry.first == std::type_index(typeid(T))) return static_cast<const T*>(entry.second.get());
        return nullptr;
    }

private:
    std::vector<std::pair<std::type_index, std::shared_ptr<const void>>> entries_;
};

struct CodecContext {
    const CancelToken* cancel = nullptr;
    // Called from the encoding/decoding thread(s) with a fraction in [0, 1]; must be thread-safe and cheap.
    std::function<void(double)> progress;
    int threads = 0;  // worker threads a codec may use; 0 = all hardware threads
    // Work kept between calls for this caller (codec_cache.h): one per codec and source image; null keeps nothing.
    CodecCache* cache = nullptr;
    // The image to encode is another codec's decoded output (a storage -> GPU chain's load-time transcode,
    // evaluate.h): its negative values are that codec's noise, not light. GPU encoders may use it to tell the noise
    // around black from dark texels (BC6H's automatic dark floor does, and its weighing of a channel far below its
    // texel's level); others ignore it.
    bool transcoding = false;
    // A codec whose encode keeps improving for minutes (per-map optimisation) may hand complete interim streams
    // here while it works: each a valid stream of the same parameters that decodes like the final one, so a UI can
    // show a first result early and better ones as they come. Called on the thread that called encode, between the
    // codec's own steps (the encode waits for it). Empty: the codec spends nothing on interim streams. The final
    // stream is still encode's result.
    std::function<void(const Bytes&)> interim;
    // Codec-family options (see CodecExtensions); codecs of other families ignore them.
    CodecExtensions extensions;

    bool cancelled() const { return cancel != nullptr && cancel->isCancelled(); }
    void report(double fraction) const {
        if (progress) progress(fraction);
    }
    int resolvedThreads() const;
};

inline Error cancelledError() {
    return makeError(ErrorCode::Cancelled, "cancelled");
}

// What a codec's stream is for given parameters (Codec::traits): the facts callers act on without knowing the
// codec. A plain value.
struct CodecTraits {
    // Extension of the file the stream belongs in: ".lmc" for our container, else the codec's standard one (".dds",
    // ".dds.zst", ".astc", ".exr"). BC6H at a reduced resolution writes .lmc instead of .dds.
    std::string fileExtension = ".lmc";
    // Whether negative input values survive (BC6H SF16, OpenEXR). Codecs that clamp them to 0 say so in their
    // schema; the pipelines warn when an image with negative values meets such a codec.
    bool keepsNegatives = false;
    // Bits per texel the decoded texture occupies in GPU memory when the stream is a GPU block format (BC6H: 8 at
    // full resolution, 2 at half; ASTC: 128 / block texels); 0 for storage codecs that a game must decode first.
    double gpuBitsPerTexel = 0.0;
    // A cost hint: encode/decode take about a second per megapixel or more (neural networks) rather than tens of
    // milliseconds. The UI runs heavy codecs' jobs behind the others, so those paint first.
    bool heavy = false;
};

class Codec {
public:
    virtual ~Codec() = default;

    virtual std::string id() const = 0;           // stable registry id
    virtual std::string name() const = 0;         // English display name
    virtual std::string description() const = 0;  // one English sentence
    virtual ParamSchema schema() const = 0;
    // The codec's traits for `params` (validated against schema()); the default: an .lmc stream of a storage codec
    // that clamps negatives and is cheap.
    virtual CodecTraits traits(const ParamSet& params) const { return {}; }
    // traits() at the schema's defaults (what `lmc codecs` lists, and the extensions `lmc` recognises).
    CodecTraits defaultTraits() const { return traits(ParamSet::defaults(schema())); }

    // `params` are validated against schema() by the caller (see validateParams); codecs may assume that.
    // image.mask, when present, marks the texels to code faithfully; others are never judged (encodeImage passes
    // the visible set).
    virtual Result<Bytes> encode(const ImageView& image, const ParamSet& params, const CodecContext& context) const = 0;
    virtual Result<Image> decode(const std::uint8_t* data, std::size_t size, const CodecContext& context) const = 0;

    // True when the bytes are a stream of this codec: by default our container naming id().
    virtual bool recognizes(const std::uint8_t* data, std::size_t size) const;

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
