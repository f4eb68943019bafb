// lmc codecs / encode / decode.
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "app/cli/cli.h"
#include "codec/codec.h"
#include "codec/evaluate.h"
#include "codec/exr_io.h"
#include "codec/file_io.h"

namespace lmc::cli {

namespace {
std::string describeRange(const ParamSpec& spec) {
    if (spec.type == ParamType::Enum) {
        std::string s;
        for (std::size_t i = 0; i < spec.choices.size(); ++i) s += (i ? "|" : "") + spec.choices[i];
        return s;
    }
    if (spec.type == ParamType::Bool) return "true|false";
    return formatParamValue(spec, spec.minValue) + ".." + formatParamValue(spec, spec.maxValue);
}

int runCodecs() {
    for (const Codec* codec : CodecRegistry::builtin().codecs()) {
        std::printf("%s\t%s (%s) — %s\n", codec->id().c_str(), codec->name().c_str(),
                    codec->defaultTraits().fileExtension.c_str(), codec->description().c_str());
        for (const auto& spec : codec->schema()) {
            std::printf("  %-10s %-5s %-32s default %s%s\n      %s\n", spec.id.c_str(), paramTypeName(spec.type),
                        describeRange(spec).c_str(), formatParamValue(spec, spec.defaultValue).c_str(),
                        spec.isRate ? "  [rate]" : "", spec.description.c_str());
        }
    }
    return kExitOk;
}

struct EncodeArgs {
    CodecChoice codec;
    int threads = 0;
    std::string in, out;
};

int runEncode(const EncodeArgs& a) {
    const Codec* codec = CodecRegistry::builtin().find(a.codec.id);
    auto params = parseParamAssignments(codec->schema(), a.codec.params);
    if (!params) return usageError(params.error().message);
    if (sameFile(a.in, a.out)) return usageError("refusing to overwrite the input file " + a.in);
    // A stream named after another known container would mislead every tool that opens it (a .dds that is an .lmc).
    std::string lowerOut = a.out;
    for (char& c : lowerOut) c = char(std::tolower(static_cast<unsigned char>(c)));
    const std::string given = std::filesystem::path(lowerOut).extension().string();
    const std::string wanted = codec->traits(*params).fileExtension;
    const bool named = lowerOut.size() >= wanted.size() &&
                       lowerOut.compare(lowerOut.size() - wanted.size(), wanted.size(), wanted) == 0;
    bool knownExtension = given == ".lmc" || given == ".dds" || given == ".jp2" || given == ".zst";
    for (const Codec* c : CodecRegistry::builtin().codecs()) {
        const std::string ext = c->defaultTraits().fileExtension;  // ".exr": path(".exr").extension() would be empty
        knownExtension = knownExtension || ext.substr(ext.rfind('.')) == given;
    }
    if (!named && knownExtension)
        return usageError(codec->id() + " with " + formatParamSet(codec->schema(), *params) + " writes " + wanted +
                          " files, not " + given + "; name the output *" + wanted);
    auto loaded = readExr(a.in);
    if (!loaded) return failure(loaded.error());
    if (const ImageStats stats = computeStats(loaded->image.view());
        stats.negativeCount > 0 && !codec->traits(*params).keepsNegatives)
        std::fprintf(stderr, "lmc: warning: %s has %lld negative values; %s clamps them to 0\n", a.in.c_str(),
                     static_cast<long long>(stats.negativeCount), codec->id().c_str());
    CodecContext ctx;
    ctx.threads = a.threads;
    EvaluateOptions encodeOnly;
    encodeOnly.decode = false;
    auto e = evaluate(*codec, loaded->image.view(), *params, ctx, encodeOnly);
    if (!e) return failure(e.error());
    if (auto s = writeFileAtomic(a.out, e->bytes, a.in); !s) return failure(s.error());
    std::printf("%s: %s %s, %zu bytes, %.4f bpp, %.1f ms\n", a.out.c_str(), codec->id().c_str(),
                formatParamSet(codec->schema(), *params).c_str(), e->bytes.size(), e->bitsPerTexel, e->encodeMs);
    return kExitOk;
}

struct DecodeArgs {
    bool asFloat = false;
    int threads = 0;
    std::string in, out;
};

int runDecode(const DecodeArgs& a) {
    if (sameFile(a.in, a.out)) return usageError("refusing to overwrite the input file " + a.in);
    auto bytes = readFileBytes(a.in);
    if (!bytes) return failure(bytes.error());
    CodecContext ctx;
    ctx.threads = a.threads;
    auto image = decodeAny(CodecRegistry::builtin(), bytes->data(), bytes->size(), ctx);
    if (!image) return failure(a.in + ": " + image.error().message);
    ExrWriteOptions options;
    options.pixelType = a.asFloat ? ExrPixelType::Float : ExrPixelType::Half;
    options.protectedSource = a.in;
    if (auto s = writeExr(a.out, image->view(), options); !s) return failure(s.error());
    std::printf("%s: %dx%d\n", a.out.c_str(), image->width(), image->height());
    return kExitOk;
}

}  // namespace

Run declareCodecs(CLI::App&) {
    return runCodecs;
}

Run declareEncode(CLI::App& command) {
    auto a = std::make_shared<EncodeArgs>();
    addCodecOptions(command, a->codec);
    addThreadsOption(command, a->threads);
    command.add_option("IN.exr", a->in, "lightmap to compress")->required();
    command.add_option("OUT", a->out, "stream to write, named with the codec's extension")->required();
    return [a] { return runEncode(*a); };
}

Run declareDecode(CLI::App& command) {
    auto a = std::make_shared<DecodeArgs>();
    command.add_flag("--float", a->asFloat, "write 32-bit float texels (default: half)");
    addThreadsOption(command, a->threads);
    command.add_option("IN", a->in, "stream written by lmc encode")->required();
    command.add_option("OUT.exr", a->out, "decoded lightmap")->required();
    return [a] { return runDecode(*a); };
}

}  // namespace lmc::cli
