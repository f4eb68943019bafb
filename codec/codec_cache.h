// CodecCache: work a codec keeps between calls for one caller, so a slider move or a sweep re-runs only what the
// changed parameter touches: JPEG-HDR's prepared planes of the source, a learned codec's analysis of the source, its
// coded base stream and its networks' reconstruction (shared by its encoder and decoder). The caller owns it and
// hands it to encode/decode through CodecContext::cache (null: nothing is kept), as astcenc's caller owns its
// context; the Codec objects themselves stay immutable and shared. Keep one per codec and source image: lmstudio's
// workspace keeps one per codec beside the image it shows, `lmc eval` one per file and codec.
//
// Entries are immutable shared_ptrs under a slot name (codecs prefix their id: "vae.analysis"); an entry carries
// whatever key the codec compares before reusing it (parameters, model fingerprint, device). An encoder calls
// bindSource() first: a cache handed another image (other texels, size or stride) drops every entry, so a caller
// that forgets to make a new cache gets a slow encode, never another image's data.
//
// Threading: every member is thread-safe (one mutex; values are shared, so a reader keeps its entry alive while
// another thread replaces it). Errors: none; a lookup of the wrong type gives null.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <typeindex>

#include "codec/image.h"

namespace lmc {

class CodecCache {
public:
    // The entry in `slot` when it holds a T, else null. A non-null result counts as a hit of the slot.
    template <class T>
    std::shared_ptr<const T> get(const std::string& slot) const {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = entries_.find(slot);
        if (it == entries_.end() || it->second.type != std::type_index(typeid(T))) return nullptr;
        ++hits_[slot];
        return std::static_pointer_cast<const T>(it->second.value);
    }
    // Stores `value` in `slot`, replacing what was there.
    template <class T>
    void put(const std::string& slot, std::shared_ptr<const T> value) {
        std::lock_guard<std::mutex> lock(mutex_);
        entries_.insert_or_assign(slot, Entry{std::type_index(typeid(T)), std::move(value)});
    }

    // Binds the cache to the source an encoder was given; another source than the bound one (texel buffer, size,
    // stride) drops every entry. The caller keeps a bound source's texels unchanged.
    void bindSource(const ImageView& source);
    // How many get()s of `slot` found an entry (tests and benchmarks).
    int hits(const std::string& slot) const;
    void clear();

private:
    struct Entry {
        std::type_index type;
        std::shared_ptr<const void> value;
    };
    mutable std::mutex mutex_;
    std::map<std::string, Entry> entries_;
    mutable std::map<std::string, int> hits_;
    const float* sourceTexels_ = nullptr;
    int sourceWidth_ = 0, sourceHeight_ = 0;
    std::ptrdiff_t sourceStride_ = 0;
};

}  // namespace lmc
