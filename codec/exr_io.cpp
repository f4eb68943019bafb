#include "codec/exr_io.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>

// Reading goes through OpenEXRCore (the C library): it validates headers and chunk tables against the file size,
// never throws, reads the chunk table lazily (so the size check below happens before anything image-sized is
// allocated) and lets us decode straight into our interleaved buffer. OpenEXRCore 3.1 mishandles DWA, B44 and
// subsampled channels (see coreDecodesCorrectly), so those parts alone are decoded by the C++ library from the same
// memory, after the same header checks. Writing uses the C++ API into memory.
#include <openexr.h>

#include <Iex.h>
#include <ImfChannelList.h>
#include <ImfChromaticities.h>
#include <ImfCompression.h>
#include <ImfFrameBuffer.h>
#include <ImfHeader.h>
#include <ImfIO.h>
#include <ImfInputPart.h>
#include <ImfMultiPartInputFile.h>
#include <ImfOutputFile.h>
#include <ImfRgbaYca.h>
#include <ImfTiledInputPart.h>
#include <half.h>

#include "codec/exr_memory_stream.h"
#include "codec/file_io.h"
#include "codec/work_pool.h"

namespace lmc {

namespace {

constexpr std::uint8_t kExrMagic[4] = {0x76, 0x2f, 0x31, 0x01};

// ---------------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------------

// The byte source behind an OpenEXRCore context, plus the library's last error message (it reports details through
// a callback, and decoding threads may report concurrently).
struct MemorySource {
    const std::uint8_t* data = nullptr;
    std::size_t size = 0;
    std::mutex mutex;
    std::string lastError;
};

std::int64_t readMemory(exr_const_context_t, void* userData, void* buffer, std::uint64_t size, std::uint64_t offset,
                        exr_stream_error_func_ptr_t) {
    auto* source = static_cast<MemorySource*>(userData);
    if (offset >= source->size) return 0;  // a short read: the library reports the truncation
    std::uint64_t n = std::min<std::uint64_t>(size, source->size - offset);
    std::memcpy(buffer, source->data + offset, std::size_t(n));
    return std::int64_t(n);
}

std::int64_t memorySize(exr_const_context_t, void* userData) {
    return std::int64_t(static_cast<MemorySource*>(userData)->size);
}

void recordError(exr_const_context_t ctxt, exr_result_t, const char* message) {
    void* userData = nullptr;
    if (!ctxt || exr_get_user_data(ctxt, &userData) != EXR_ERR_SUCCESS || !userData || !message) return;
    auto* source = static_cast<MemorySource*>(userData);
    std::lock_guard<std::mutex> lock(source->mutex);
    source->lastError = message;
}

Error coreError(MemorySource& source, exr_result_t rv, const std::string& what) {
    std::string detail;
    {
        std::lock_guard<std::mutex> lock(source.mutex);
        detail = source.lastError;
    }
    if (detail.empty()) detail = exr_get_default_error_message(rv);
    ErrorCode code = ErrorCode::CorruptData;
    if (rv == EXR_ERR_FEATURE_NOT_IMPLEMENTED) code = ErrorCode::Unsupported;
    if (rv == EXR_ERR_OUT_OF_MEMORY) code = ErrorCode::Internal;
    return makeError(code, what + ": " + detail);
}

struct ContextGuard {
    exr_context_t ctxt = nullptr;
    ~ContextGuard() {
        if (ctxt) exr_finish(&ctxt);
    }
};

struct DecoderGuard {
    exr_const_context_t ctxt = nullptr;
    exr_decode_pipeline_t pipeline = EXR_DECODE_PIPELINE_INITIALIZER;
    bool initialised = false;
    ~DecoderGuard() {
        if (initialised) exr_decoding_destroy(ctxt, &pipeline);
    }
};

const char* compressionName(exr_compression_t c) {
    switch (c) {
        case EXR_COMPRESSION_NONE:
            return "none";
        case EXR_COMPRESSION_RLE:
            return "rle";
        case EXR_COMPRESSION_ZIPS:
            return "zips";
        case EXR_COMPRESSION_ZIP:
            return "zip";
        case EXR_COMPRESSION_PIZ:
            return "piz";
        case EXR_COMPRESSION_PXR24:
            return "pxr24";
        case EXR_COMPRESSION_B44:
            return "b44";
        case EXR_COMPRESSION_B44A:
            return "b44a";
        case EXR_COMPRESSION_DWAA:
            return "dwaa";
        case EXR_COMPRESSION_DWAB:
            return "dwab";
        default:
            return "unknown";
    }
}

const char* pixelTypeName(exr_pixel_type_t t) {
    switch (t) {
        case EXR_PIXEL_UINT:
            return "uint";
        case EXR_PIXEL_HALF:
            return "half";
        case EXR_PIXEL_FLOAT:
            return "float";
        default:
            return "unknown";
    }
}

std::int64_t floorMod(std::int64_t a, std::int64_t b) {
    return ((a % b) + b) % b;
}
std::int64_t ceilDiv(std::int64_t a, std::int64_t b) {
    return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

bool isColourName(const char* name) {
    return !std::strcmp(name, "R") || !std::strcmp(name, "G") || !std::strcmp(name, "B") || !std::strcmp(name, "Y");
}

// Where one stored channel goes: either straight into the interleaved RGB image (full-resolution R/G/B/Y) or into a
// float plane at the channel's own sampling rate (alpha, chroma, subsampled channels), combined afterwards.
struct ChannelTarget {
    std::string name;
    int xSampling = 1, ySampling = 1;
    int planeWidth = 0, planeHeight = 0;  // samples stored for this channel over the data window
    float* base = nullptr;
    std::int32_t pixelStride = 0;  // bytes
    std::int32_t lineStride = 0;   // bytes
    std::vector<float> plane;      // owned storage when not decoding into the image
};

struct Chunk {
    int tileX = 0, tileY = 0;  // tiled parts
    int y = 0;                 // scanline parts: first line (absolute)
};

struct DecodeJob {
    exr_const_context_t ctxt = nullptr;
    int part = 0;
    bool tiled = false;
    std::int64_t minX = 0, minY = 0, width = 0, height = 0;
    std::int64_t tileWidth = 0, tileHeight = 0, linesPerChunk = 0;
    std::vector<Chunk> chunks;
    std::vector<ChannelTarget*> targets;  // indexed like the part's channel list; null = skipped
};

// Decodes one chunk into the targets, after checking that every write stays inside them.
Status decodeChunk(const DecodeJob& job, const Chunk& chunk, DecoderGuard& decoder, MemorySource& source) {
    exr_chunk_info_t info{};
    exr_result_t rv;
    std::int64_t x0, y0, expectW, expectH;
    if (job.tiled) {
        rv = exr_read_tile_chunk_info(job.ctxt, job.part, chunk.tileX, chunk.tileY, 0, 0, &info);
        if (rv != EXR_ERR_SUCCESS) return coreError(source, rv, "cannot locate a tile");
        x0 = job.minX + chunk.tileX * job.tileWidth;
        y0 = job.minY + chunk.tileY * job.tileHeight;
        expectW = std::min(job.tileWidth, job.minX + job.width - x0);
        expectH = std::min(job.tileHeight, job.minY + job.height - y0);
    } else {
        rv = exr_read_scanline_chunk_info(job.ctxt, job.part, chunk.y, &info);
        if (rv != EXR_ERR_SUCCESS) return coreError(source, rv, "cannot locate a scanline block");
        x0 = job.minX;
        y0 = chunk.y;
        expectW = job.width;
        expectH = std::min(job.linesPerChunk, job.minY + job.height - y0);
        if (info.start_y != chunk.y) return makeError(ErrorCode::CorruptData, "scanline block at the wrong line");
    }
    if (info.width != expectW || info.height != expectH)
        return makeError(ErrorCode::CorruptData, "a block's size does not match the image header");

    rv = decoder.initialised ? exr_decoding_update(job.ctxt, job.part, &info, &decoder.pipeline)
                             : exr_decoding_initialize(job.ctxt, job.part, &info, &decoder.pipeline);
    if (rv != EXR_ERR_SUCCESS) return coreError(source, rv, "cannot prepare decoding");
    decoder.initialised = true;
    if (decoder.pipeline.channel_count != std::int16_t(job.targets.size()))
        return makeError(ErrorCode::CorruptData, "channel count changed while decoding");

    for (int c = 0; c < decoder.pipeline.channel_count; ++c) {
        exr_coding_channel_info_t& ch = decoder.pipeline.channels[c];
        ChannelTarget* t = job.targets[std::size_t(c)];
        if (!t) {
            ch.decode_to_ptr = nullptr;
            continue;
        }
        // Samples of a channel sit at absolute coordinates that are multiples of its sampling rate; the data window
        // origin is one (checked before), so indices are relative offsets divided by the rate.
        std::int64_t row0 = ceilDiv(y0 - job.minY, t->ySampling);
        std::int64_t rows = ceilDiv(y0 + expectH - job.minY, t->ySampling) - row0;
        std::int64_t col0 = ceilDiv(x0 - job.minX, t->xSampling);
        std::int64_t cols = ceilDiv(x0 + expectW - job.minX, t->xSampling) - col0;
        if (ch.height != rows || ch.width != cols || row0 < 0 || col0 < 0 || row0 + rows > t->planeHeight ||
            col0 + cols > t->planeWidth || std::strcmp(ch.channel_name, t->name.c_str()) != 0)
            return makeError(ErrorCode::CorruptData, "channel " + t->name + ": block layout does not match the header");
        ch.decode_to_ptr = reinterpret_cast<std::uint8_t*>(t->base) + row0 * t->lineStride + col0 * t->pixelStride;
        ch.user_pixel_stride = t->pixelStride;
        ch.user_line_stride = t->lineStride;
        ch.user_bytes_per_element = 4;
        ch.user_data_type = EXR_PIXEL_FLOAT;
    }
    rv = exr_decoding_choose_default_routines(job.ctxt, job.part, &decoder.pipeline);
    if (rv != EXR_ERR_SUCCESS) return coreError(source, rv, "cannot choose a decoder");
    rv = exr_decoding_run(job.ctxt, job.part, &decoder.pipeline);
    if (rv != EXR_ERR_SUCCESS) return coreError(source, rv, "cannot decode pixel data");
    return {};
}

// Chunks are independent: decode them on a few threads (the context is safe for concurrent chunk reads).
Status decodeAll(const DecodeJob& job, MemorySource& source) {
    const std::size_t count = job.chunks.size();
    unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    // Threads pay off from about a quarter megapixel; small images decode on the caller's thread.
    const std::size_t bySize = std::size_t(job.width * job.height / (std::int64_t{1} << 18)) + 1;
    std::size_t threads = std::min<std::size_t>({std::size_t(hw), std::size_t(8), bySize, count});
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::mutex errorMutex;
    Status firstError;
    auto worker = [&] {
        DecoderGuard decoder;
        decoder.ctxt = job.ctxt;
        try {
            for (;;) {
                std::size_t i = next.fetch_add(1);
                if (i >= count || failed.load()) return;
                Status s = decodeChunk(job, job.chunks[i], decoder, source);
                if (!s) {
                    std::lock_guard<std::mutex> lock(errorMutex);
                    if (!failed.exchange(true)) firstError = s;
                    return;
                }
            }
        } catch (const std::exception& e) {  // bad_alloc from our side; the C library does not throw
            std::lock_guard<std::mutex> lock(errorMutex);
            if (!failed.exchange(true)) firstError = makeError(ErrorCode::Internal, e.what());
        }
    };
    runWorkers(int(std::max<std::size_t>(1, threads)), [&](int) { worker(); });
    return firstError;
}

// OpenEXRCore 3.1.5 fails on DWAA/DWAB data, decodes float channels of B44/B44A parts wrongly and writes past the
// caller's buffers for subsampled channels (RY/BY of luminance-chroma files) in blocks without a sample row: found
// by comparing against the C++ library and under valgrind. Those parts go through the C++ library; everything else
// decodes bit-identically through OpenEXRCore.
bool coreDecodesCorrectly(exr_compression_t c, bool subsampled) {
    return !subsampled && c != EXR_COMPRESSION_DWAA && c != EXR_COMPRESSION_DWAB && c != EXR_COMPRESSION_B44 &&
           c != EXR_COMPRESSION_B44A;
}

// Read-only IStream over the file's bytes; reads past the end throw, which the caller turns into CorruptData.
class MemoryIStream : public Imf::IStream {
public:
    MemoryIStream(const std::uint8_t* data, std::size_t size) : Imf::IStream("<exr>"), data_(data), size_(size) {}
    bool isMemoryMapped() const override { return true; }
    char* readMemoryMapped(int n) override {
        if (n < 0 || std::uint64_t(n) > size_ - std::min<std::uint64_t>(position_, size_))
            throw Iex::InputExc("unexpected end of file");
        char* p = const_cast<char*>(reinterpret_cast<const char*>(data_ + position_));
        position_ += std::uint64_t(n);
        return p;
    }
    bool read(char c[], int n) override {
        char* p = readMemoryMapped(n);
        std::memcpy(c, p, std::size_t(n));
        return position_ < size_;
    }
    std::uint64_t tellg() override { return position_; }
    void seekg(std::uint64_t pos) override { position_ = pos; }
    void clear() override {}

private:
    const std::uint8_t* data_;
    std::uint64_t size_;
    std::uint64_t position_ = 0;
};

// Decodes the job's part with the OpenEXR C++ library into the same targets (see coreDecodesCorrectly).
Status decodeWithCppLibrary(const DecodeJob& job, MemorySource& source) {
    // The C++ reader loads every part's chunk table up front: hold all parts to our size limits first.
    int partCount = 0;
    if (exr_get_count(job.ctxt, &partCount) != EXR_ERR_SUCCESS) return makeError(ErrorCode::CorruptData, "bad parts");
    for (int p = 0; p < partCount; ++p) {
        exr_attr_box2i_t dw{};
        if (exr_get_data_window(job.ctxt, p, &dw) != EXR_ERR_SUCCESS)
            return makeError(ErrorCode::CorruptData, "cannot read the data window of part " + std::to_string(p));
        if (auto s = checkImageSize(std::int64_t(dw.max.x) - dw.min.x + 1, std::int64_t(dw.max.y) - dw.min.y + 1); !s)
            return makeError(s.error().code, "part " + std::to_string(p) + ": " + s.error().message);
    }
    try {
        MemoryIStream stream(source.data, source.size);
        Imf::MultiPartInputFile file(stream);
        if (job.part >= file.parts()) return makeError(ErrorCode::CorruptData, "part missing");
        const Imath::Box2i window(Imath::V2i(int(job.minX), int(job.minY)),
                                  Imath::V2i(int(job.minX + job.width - 1), int(job.minY + job.height - 1)));
        Imf::FrameBuffer frame;
        for (const ChannelTarget* t : job.targets) {
            if (!t) continue;
            frame.insert(t->name, Imf::Slice::Make(Imf::FLOAT, t->base, window, std::size_t(t->pixelStride),
                                                   std::size_t(t->lineStride), t->xSampling, t->ySampling, 0.0));
        }
        if (job.tiled) {
            Imf::TiledInputPart in(file, job.part);
            if (in.header().dataWindow() != window) return makeError(ErrorCode::CorruptData, "data window mismatch");
            in.setFrameBuffer(frame);
            in.readTiles(0, in.numXTiles(0) - 1, 0, in.numYTiles(0) - 1, 0, 0);
        } else {
            Imf::InputPart in(file, job.part);
            if (in.header().dataWindow() != window) return makeError(ErrorCode::CorruptData, "data window mismatch");
            in.setFrameBuffer(frame);
            in.readPixels(window.min.y, window.max.y);
        }
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::Internal, "out of memory while decoding pixel data");
    } catch (const std::exception& e) {
        return makeError(ErrorCode::CorruptData, std::string("cannot decode pixel data: ") + e.what());
    }
    return {};
}

// Bilinear sample of a subsampled plane at full-resolution pixel (x, y) relative to the data window origin.
float samplePlane(const ChannelTarget& t, int x, int y) {
    auto axis = [](int p, int rate, int size, int& i0, int& i1, float& f) {
        float pos = float(p) / float(rate);
        i0 = std::min(int(pos), size - 1);
        i1 = std::min(i0 + 1, size - 1);
        f = pos - float(i0);
    };
    int x0, x1, y0, y1;
    float fx, fy;
    axis(x, t.xSampling, t.planeWidth, x0, x1, fx);
    axis(y, t.ySampling, t.planeHeight, y0, y1, fy);
    const float* p = t.plane.data();
    const std::size_t w = std::size_t(t.planeWidth);
    float top = p[y0 * w + x0] + (p[y0 * w + x1] - p[y0 * w + x0]) * fx;
    float bottom = p[y1 * w + x0] + (p[y1 * w + x1] - p[y1 * w + x0]) * fx;
    return top + (bottom - top) * fy;
}

Result<LoadedExr> readFromSource(MemorySource& source) {
    if (source.size < 8 || std::memcmp(source.data, kExrMagic, 4) != 0)
        return makeError(ErrorCode::CorruptData, "not an OpenEXR file (no EXR signature)");

    exr_context_initializer_t init = EXR_DEFAULT_CONTEXT_INITIALIZER;
    init.user_data = &source;
    init.read_fn = &readMemory;
    init.size_fn = &memorySize;
    init.error_handler_fn = &recordError;
    ContextGuard guard;
    exr_result_t rv = exr_start_read(&guard.ctxt, "<exr>", &init);
    if (rv != EXR_ERR_SUCCESS) return coreError(source, rv, "cannot read the OpenEXR header");
    exr_const_context_t ctxt = guard.ctxt;

    LoadedExr out;
    ExrInfo& info = out.info;
    int partCount = 0;
    if ((rv = exr_get_count(ctxt, &partCount)) != EXR_ERR_SUCCESS || partCount < 1)
        return coreError(source, rv, "cannot count the image parts");
    info.partCount = partCount;

    // The first part with colour channels; remember what the others hold for the error message.
    int part = -1;
    std::string seen;
    for (int p = 0; p < partCount && part < 0; ++p) {
        const exr_attr_chlist_t* channels = nullptr;
        if ((rv = exr_get_channels(ctxt, p, &channels)) != EXR_ERR_SUCCESS || !channels)
            return coreError(source, rv, "cannot read the channel list");
        for (int c = 0; c < channels->num_channels; ++c) {
            const char* name = channels->entries[c].name.str;
            if (isColourName(name)) part = p;
            if (!seen.empty()) seen += ", ";
            seen += name;
        }
    }
    if (part < 0)
        return makeError(ErrorCode::Unsupported, "no colour channels (R, G, B or Y) in the file; channels: " +
                                                     (seen.empty() ? std::string("none") : seen));
    info.partUsed = part;

    exr_storage_t storage = EXR_STORAGE_SCANLINE;
    if ((rv = exr_get_storage(ctxt, part, &storage)) != EXR_ERR_SUCCESS)
        return coreError(source, rv, "cannot read the storage type");
    if (storage == EXR_STORAGE_DEEP_SCANLINE || storage == EXR_STORAGE_DEEP_TILED)
        return makeError(ErrorCode::Unsupported, "deep OpenEXR images are not supported");
    if (storage != EXR_STORAGE_SCANLINE && storage != EXR_STORAGE_TILED)
        return makeError(ErrorCode::Unsupported, "unknown OpenEXR storage type");
    info.tiled = storage == EXR_STORAGE_TILED;

    exr_attr_box2i_t dataWindow{};
    if ((rv = exr_get_data_window(ctxt, part, &dataWindow)) != EXR_ERR_SUCCESS)
        return coreError(source, rv, "cannot read the data window");
    const std::int64_t minX = dataWindow.min.x, minY = dataWindow.min.y;
    const std::int64_t width = std::int64_t(dataWindow.max.x) - minX + 1;
    const std::int64_t height = std::int64_t(dataWindow.max.y) - minY + 1;
    // Before anything image-sized exists: the header alone decides.
    if (auto s = checkImageSize(width, height); !s) return s.error();
    info.width = int(width);
    info.height = int(height);
    info.dataWindowX = dataWindow.min.x;
    info.dataWindowY = dataWindow.min.y;

    exr_compression_t compression = EXR_COMPRESSION_NONE;
    if ((rv = exr_get_compression(ctxt, part, &compression)) != EXR_ERR_SUCCESS)
        return coreError(source, rv, "cannot read the compression");
    info.compression = compressionName(compression);

    const exr_attr_chlist_t* channels = nullptr;
    if ((rv = exr_get_channels(ctxt, part, &channels)) != EXR_ERR_SUCCESS || !channels)
        return coreError(source, rv, "cannot read the channel list");
    int idx[7] = {-1, -1, -1, -1, -1, -1, -1};  // R G B Y A RY BY
    static const char* const kNames[7] = {"R", "G", "B", "Y", "A", "RY", "BY"};
    for (int c = 0; c < channels->num_channels; ++c) {
        const exr_attr_chlist_entry_t& e = channels->entries[c];
        info.channels.emplace_back(e.name.str);
        const std::string type = pixelTypeName(e.pixel_type);
        info.pixelType = info.pixelType.empty() || info.pixelType == type ? type : "mixed";
        for (int k = 0; k < 7; ++k)
            if (!std::strcmp(e.name.str, kNames[k])) idx[k] = c;
        if (e.x_sampling < 1 || e.y_sampling < 1)
            return makeError(ErrorCode::CorruptData, std::string("channel ") + e.name.str + " has an invalid sampling");
    }
    const bool rgbMode = idx[0] >= 0 || idx[1] >= 0 || idx[2] >= 0;
    info.luminanceOnly = !rgbMode;
    const bool chroma = !rgbMode && idx[5] >= 0 && idx[6] >= 0;

    DecodeJob job;
    job.ctxt = ctxt;
    job.part = part;
    job.tiled = info.tiled;
    job.minX = minX;
    job.minY = minY;
    job.width = width;
    job.height = height;

    if (info.tiled) {
        std::uint32_t tw = 0, th = 0;
        exr_tile_level_mode_t levelMode{};
        exr_tile_round_mode_t roundMode{};
        if ((rv = exr_get_tile_descriptor(ctxt, part, &tw, &th, &levelMode, &roundMode)) != EXR_ERR_SUCCESS)
            return coreError(source, rv, "cannot read the tile description");
        if (tw < 1 || th < 1) return makeError(ErrorCode::CorruptData, "invalid tile size");
        job.tileWidth = tw;
        job.tileHeight = th;
        std::int64_t tilesX = ceilDiv(width, tw), tilesY = ceilDiv(height, th);
        for (std::int64_t ty = 0; ty < tilesY; ++ty)
            for (std::int64_t tx = 0; tx < tilesX; ++tx) job.chunks.push_back({int(tx), int(ty), 0});
    } else {
        std::int32_t lines = 0;
        if ((rv = exr_get_scanlines_per_chunk(ctxt, part, &lines)) != EXR_ERR_SUCCESS || lines < 1)
            return coreError(source, rv, "cannot read the scanline block size");
        job.linesPerChunk = lines;
        for (std::int64_t y = minY; y < minY + height; y += lines) job.chunks.push_back({0, 0, int(y)});
    }

    // Each chunk needs a chunk-table entry and its leader in the file: a header whose chunk count cannot fit is
    // truncated or hostile, and we say so before allocating the image.
    if (std::uint64_t(job.chunks.size()) * 8 > source.size)
        return makeError(ErrorCode::CorruptData, "file too short for the " + std::to_string(job.chunks.size()) +
                                                     " pixel blocks its header announces (truncated?)");

    auto created = Image::create(int(width), int(height));
    if (!created) return created.error();
    out.image = std::move(created).value();
    Image& image = out.image;

    std::vector<ChannelTarget> targets(std::size_t(channels->num_channels));
    job.targets.assign(targets.size(), nullptr);
    auto use = [&](int c, int slot) -> Status {
        if (c < 0) return {};
        const exr_attr_chlist_entry_t& e = channels->entries[c];
        ChannelTarget& t = targets[std::size_t(c)];
        t.name = e.name.str;
        t.xSampling = e.x_sampling;
        t.ySampling = e.y_sampling;
        if (t.xSampling != 1 || t.ySampling != 1) {
            if (info.tiled || floorMod(minX, t.xSampling) || floorMod(minY, t.ySampling) || width % t.xSampling ||
                height % t.ySampling)
                return makeError(ErrorCode::Unsupported,
                                 "channel " + t.name + ": subsampling does not align with the data window");
        }
        t.planeWidth = int(width / t.xSampling);
        t.planeHeight = int(height / t.ySampling);
        if (slot >= 0 && t.xSampling == 1 && t.ySampling == 1) {
            t.base = image.data() + slot;
            t.pixelStride = 3 * sizeof(float);
            t.lineStride = std::int32_t(3 * sizeof(float) * std::size_t(width));
        } else {
            t.plane.assign(std::size_t(t.planeWidth) * std::size_t(t.planeHeight), 0.0f);
            t.base = t.plane.data();
            t.pixelStride = sizeof(float);
            t.lineStride = std::int32_t(sizeof(float) * std::size_t(t.planeWidth));
        }
        job.targets[std::size_t(c)] = &t;
        return {};
    };
    try {
        Status s;
        if (rgbMode) {
            for (int k = 0; k < 3 && s; ++k) s = use(idx[k], k);
        } else {
            s = use(idx[3], 1);  // Y into the green slot; spread afterwards
            if (s && chroma) s = use(idx[5], -1);
            if (s && chroma) s = use(idx[6], -1);
        }
        if (s) s = use(idx[4], -1);
        if (!s) return s.error();

        bool subsampled = false;
        for (const ChannelTarget* t : job.targets)
            subsampled = subsampled || (t && (t->xSampling != 1 || t->ySampling != 1));
        if (auto d = coreDecodesCorrectly(compression, subsampled) ? decodeAll(job, source)
                                                                   : decodeWithCppLibrary(job, source);
            !d)
            return d.error();
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::Internal, "out of memory while reading the image");
    }

    // Subsampled colour channels: interpolate into the image.
    auto spread = [&](int c, int slot) {
        if (c < 0 || targets[std::size_t(c)].plane.empty() || slot < 0) return;
        const ChannelTarget& t = targets[std::size_t(c)];
        for (int y = 0; y < info.height; ++y)
            for (int x = 0; x < info.width; ++x) image.texel(x, y)[slot] = samplePlane(t, x, y);
    };
    if (rgbMode) {
        for (int k = 0; k < 3; ++k) spread(idx[k], k);
    } else {
        spread(idx[3], 1);
        Imath::V3f yw(0.2126f, 0.7152f, 0.0722f);
        if (chroma) {
            exr_attr_chromaticities_t cr{};
            if (exr_attr_get_chromaticities(ctxt, part, "chromaticities", &cr) == EXR_ERR_SUCCESS) {
                yw = Imf::RgbaYca::computeYw(
                    Imf::Chromaticities(Imath::V2f(cr.red_x, cr.red_y), Imath::V2f(cr.green_x, cr.green_y),
                                        Imath::V2f(cr.blue_x, cr.blue_y), Imath::V2f(cr.white_x, cr.white_y)));
            } else {
                yw = Imf::RgbaYca::computeYw(Imf::Chromaticities());
            }
        }
        const ChannelTarget* ry = chroma ? &targets[std::size_t(idx[5])] : nullptr;
        const ChannelTarget* by = chroma ? &targets[std::size_t(idx[6])] : nullptr;
        for (int y = 0; y < info.height; ++y) {
            for (int x = 0; x < info.width; ++x) {
                float* t = image.texel(x, y);
                const float lum = t[1];
                if (!chroma) {
                    t[0] = t[2] = lum;
                    continue;
                }
                // Inverse of OpenEXR's RGB -> (Y, RY, BY) with RY = (R - Y) / Y, BY = (B - Y) / Y.
                const float cry = samplePlane(*ry, x, y), cby = samplePlane(*by, x, y);
                if (cry == 0.0f && cby == 0.0f) {
                    t[0] = t[1] = t[2] = lum;
                } else {
                    const float r = (cry + 1.0f) * lum, b = (cby + 1.0f) * lum;
                    t[0] = r;
                    t[2] = b;
                    t[1] = (lum - r * yw.x - b * yw.z) / yw.y;
                }
            }
        }
    }

    // Alpha is a coverage mask only when it is exactly binary everywhere (Enlighten's 0..2 alpha is not).
    if (idx[4] >= 0) {
        const ChannelTarget& a = targets[std::size_t(idx[4])];
        bool binary = a.xSampling == 1 && a.ySampling == 1;
        for (std::size_t i = 0; binary && i < a.plane.size(); ++i) binary = a.plane[i] == 0.0f || a.plane[i] == 1.0f;
        if (binary) {
            image.ensureMask();
            std::uint8_t* mask = image.maskData();
            for (std::size_t i = 0; i < a.plane.size(); ++i) mask[i] = a.plane[i] == 1.0f ? 1 : 0;
            info.alphaIsMask = true;
        }
    }

    // Unity 4 / Beast writes (-1, -1, -1) into texels no chart covers.
    const std::size_t texels = std::size_t(image.texelCount());
    float* rgb = image.data();
    for (std::size_t i = 0; i < texels; ++i) {
        float* t = rgb + 3 * i;
        if (t[0] == -1.0f && t[1] == -1.0f && t[2] == -1.0f) {
            if (!image.hasMask()) image.ensureMask();
            t[0] = t[1] = t[2] = 0.0f;
            image.maskData()[i] = 0;
            ++info.emptyMarkerTexels;
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------------------------

// Finite values beyond the half range clamp to +-65504 instead of rounding to infinity; NaN and Inf stay as they are.
half toHalfClamped(float v) {
    if (std::isfinite(v)) v = std::min(65504.0f, std::max(-65504.0f, v));
    return half(v);
}

}  // namespace

Result<LoadedExr> readExrFromMemory(const std::uint8_t* data, std::size_t size) {
    if (!data && size) return makeError(ErrorCode::InvalidArgument, "no data given");
    MemorySource source;
    source.data = data;
    source.size = size;
    try {
        return readFromSource(source);
    } catch (const std::exception& e) {  // allocation failures and anything the C++ helpers throw
        return makeError(ErrorCode::Internal, std::string("reading OpenEXR failed: ") + e.what());
    }
}

Result<LoadedExr> readExr(const std::string& path) {
    auto bytes = readFileBytes(path);
    if (!bytes) return bytes.error();
    auto loaded = readExrFromMemory(bytes->data(), bytes->size());
    if (!loaded) return makeError(loaded.error().code, path + ": " + loaded.error().message);
    return loaded;
}

Result<std::vector<std::uint8_t>> writeExrToMemory(const ImageView& image, const ExrWriteOptions& options) {
    if (image.empty()) return makeError(ErrorCode::InvalidArgument, "cannot write an empty image");
    if (auto s = checkImageSize(image.width, image.height); !s) return s.error();
    if (image.rowStride < std::ptrdiff_t(3) * image.width)
        return makeError(ErrorCode::InvalidArgument, "image row stride is smaller than its width");
    if (image.hasMask() && image.maskStride < image.width)
        return makeError(ErrorCode::InvalidArgument, "mask row stride is smaller than the image width");

    const int w = image.width, h = image.height;
    const bool alpha = options.writeMaskAsAlpha && image.hasMask();
    const bool useHalf = options.pixelType == ExrPixelType::Half;
    const Imf::PixelType fileType = useHalf ? Imf::HALF : Imf::FLOAT;
    Imf::Compression compression = Imf::ZIP_COMPRESSION;
    switch (options.compression) {
        case ExrCompression::None:
            compression = Imf::NO_COMPRESSION;
            break;
        case ExrCompression::Zip:
            compression = Imf::ZIP_COMPRESSION;
            break;
        case ExrCompression::Piz:
            compression = Imf::PIZ_COMPRESSION;
            break;
    }

    try {
        Imf::Header header(w, h);
        header.compression() = compression;
        const char* names[4] = {"R", "G", "B", "A"};
        const int channelCount = alpha ? 4 : 3;
        for (int c = 0; c < channelCount; ++c) header.channels().insert(names[c], Imf::Channel(fileType));

        // Interleaved copies in the file's type: converting ourselves gives the clamping rule above and handles any
        // row stride.
        const std::size_t texels = std::size_t(w) * std::size_t(h);
        std::vector<half> halves;
        std::vector<float> floats;
        if (useHalf)
            halves.resize(texels * std::size_t(channelCount));
        else
            floats.resize(texels * std::size_t(channelCount));
        for (int y = 0; y < h; ++y) {
            const float* src = image.row(y);
            for (int x = 0; x < w; ++x) {
                const std::size_t o = (std::size_t(y) * std::size_t(w) + std::size_t(x)) * std::size_t(channelCount);
                for (int c = 0; c < 3; ++c) {
                    if (useHalf)
                        halves[o + std::size_t(c)] = toHalfClamped(src[3 * x + c]);
                    else
                        floats[o + std::size_t(c)] = src[3 * x + c];
                }
                if (alpha) {
                    const float a = image.covered(x, y) ? 1.0f : 0.0f;
                    if (useHalf)
                        halves[o + 3] = half(a);
                    else
                        floats[o + 3] = a;
                }
            }
        }
        char* base = useHalf ? reinterpret_cast<char*>(halves.data()) : reinterpret_cast<char*>(floats.data());
        const std::size_t elem = useHalf ? sizeof(half) : sizeof(float);
        const std::size_t xStride = elem * std::size_t(channelCount);
        Imf::FrameBuffer frame;
        for (int c = 0; c < channelCount; ++c)
            frame.insert(names[c],
                         Imf::Slice(fileType, base + elem * std::size_t(c), xStride, xStride * std::size_t(w)));

        MemoryOStream stream;
        {
            Imf::OutputFile file(stream, header);
            file.setFrameBuffer(frame);
            file.writePixels(h);
        }  // the destructor writes the chunk offset table
        return stream.take();
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::Internal, "out of memory while writing OpenEXR");
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string("OpenEXR write failed: ") + e.what());
    }
}

Status writeExr(const std::string& path, const ImageView& image, const ExrWriteOptions& options) {
    // Fail before encoding when the target is the source; writeFileAtomic checks again right before renaming.
    if (!options.protectedSource.empty() && sameFile(path, options.protectedSource))
        return makeError(ErrorCode::InvalidArgument, path + ": refusing to overwrite the source file");
    auto bytes = writeExrToMemory(image, options);
    if (!bytes) return makeError(bytes.error().code, path + ": " + bytes.error().message);
    return writeFileAtomic(path, bytes.value(), options.protectedSource);
}

}  // namespace lmc
