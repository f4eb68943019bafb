#include "codec/codec_cache.h"

namespace lmc {

void CodecCache::bindSource(const ImageView& source) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (source.rgb == sourceTexels_ && source.width == sourceWidth_ && source.height == sourceHeight_ &&
        source.rowStride == sourceStride_)
        return;
    entries_.clear();
    sourceTexels_ = source.rgb;
    sourceWidth_ = source.width;
    sourceHeight_ = source.height;
    sourceStride_ = source.rowStride;
}

int CodecCache::hits(const std::string& slot) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = hits_.find(slot);
    return it == hits_.end() ? 0 : it->second;
}

void CodecCache::clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    entries_.clear();
    sourceTexels_ = nullptr;
    sourceWidth_ = sourceHeight_ = 0;
    sourceStride_ = 0;
}

}  // namespace lmc
