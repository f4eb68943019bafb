// lmc codecs / encode / decode.
#include <cctype>
#include <cstdio>
#include <filesystem>
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

}  // namespace

int runCodecs(const Args& args) {
    if (!args.empty()) return usageError("'codecs' takes no arguments");
    for (const Codec* codec : CodecRegistry::builtin().codecs()) {
        std::printf("%s\t%s (%s) — %s\n", codec->id().c_str(), codec->name().c_str(), codec->fileExtension().c_str(),
                    codec->description().c_str());
        for (const auto& spec : codec->schema()) {
            std::printf("  %-10s %-5s %-32s default %s%s\n      %s\n", spec.id.c_str(), paramTypeName(spec.type),
                        describeRange(spec).c_str(), formatParamValue(spec, spec.defaultValue).c_str(),
                        spec.isRate ? "  [rate]" : "", spec.description.c_str());
        }
    }
    return kExitOk;
}

int runEncode(const Args& args) {
    ArgParser p(args);
    p.option("-c", true, "--codec");
    p.option("-p", true, "--param");
    p.option("--threads", true);
    if (!p.parse()) return usageError(p.error());
    if (!p.has("-c")) return usageError("encode needs -c CODEC");
    if (p.positionals().size() != 2) return usageError("encode needs IN.exr and OUT");
    int threads = 0;
    if (!parseThreadsOption(p, threads)) return usageError("--threads must be an integer from 1 to 256");
    const Codec* codec = CodecRegistry::builtin().find(p.value("-c"));
    if (!codec) return usageError("unknown codec '" + p.value("-c") + "' (see 'lmc codecs')");
    auto params = parseParamAssignments(codec->schema(), p.values("-p"));
    if (!params) return usageError(params.error().message);
    const std::string& in = p.positionals()[0];
    const std::string& out = p.positionals()[1];
    if (sameFile(in, out)) return usageError("refusing to overwrite the input file " + in);
    // A stream named after another known container would mislead every tool that opens it (a .dds that is an .lmc).
    std::string lowerOut = out;
    for (char& c : lowerOut) c = char(std::tolower(static_cast<unsigned char>(c)));
    const std::string given = std::filesystem::path(lowerOut).extension().string();
    const std::string wanted = codec->fileExtensionFor(*params);
    const bool named = lowerOut.size() >= wanted.size() &&
                       lowerOut.compare(lowerOut.size() - wanted.size(), wanted.size(), wanted) == 0;
    bool knownExtension = given == ".lmc" || given == ".dds" || given == ".jp2" || given == ".zst";
    for (const Codec* c : CodecRegistry::builtin().codecs()) {
        const std::string ext = c->fileExtension();  // ".exr": path(".exr").extension() would be empty
        knownExtension = knownExtension || ext.substr(ext.rfind('.')) == given;
    }
    if (!named && knownExtension)
        return usageError(codec->id() + " with " + formatParamSet(codec->schema(), *params) + " writes " + wanted +
                          " files, not " + given + "; name the output *" + wanted);
    auto loaded = readExr(in);
    if (!loaded) return failure(loaded.error());
    if (const ImageStats stats = computeStats(loaded->image.view());
        stats.negativeCount > 0 && !codec->keepsNegatives(*params))
        std::fprintf(stderr, "lmc: warning: %s has %lld negative values; %s clamps them to 0\n", in.c_str(),
                     static_cast<long long>(stats.negativeCount), codec->id().c_str());
    CodecContext ctx;
    ctx.threads = threads;
    EvaluateOptions encodeOnly;
    encodeOnly.decode = false;
    auto e = evaluate(*codec, loaded->image.view(), *params, ctx, encodeOnly);
    if (!e) return failure(e.error());
    if (auto s = writeFileAtomic(out, e->bytes, in); !s) return failure(s.error());
    std::printf("%s: %s %s, %zu bytes, %.4f bpp, %.1f ms\n", out.c_str(), codec->id().c_str(),
                formatParamSet(codec->schema(), *params).c_str(), e->bytes.size(), e->bitsPerTexel, e->encodeMs);
    return kExitOk;
}

int runDecode(const Args& args) {
    ArgParser p(args);
    p.option("--float", false);
    p.option("--threads", true);
    if (!p.parse()) return usageError(p.error());
    if (p.positionals().size() != 2) return usageError("decode needs IN and OUT.exr");
    int threads = 0;
    if (!parseThreadsOption(p, threads)) return usageError("--threads must be an integer from 1 to 256");
    const std::string& in = p.positionals()[0];
    const std::string& out = p.positionals()[1];
    if (sameFile(in, out)) return usageError("refusing to overwrite the input file " + in);
    auto bytes = readFileBytes(in);
    if (!bytes) return failure(bytes.error());
    CodecContext ctx;
    ctx.threads = threads;
    auto image = decodeAny(CodecRegistry::builtin(), bytes->data(), bytes->size(), ctx);
    if (!image) return failure(in + ": " + image.error().message);
    ExrWriteOptions options;
    options.pixelType = p.has("--float") ? ExrPixelType::Float : ExrPixelType::Half;
    options.protectedSource = in;
    if (auto s = writeExr(out, image->view(), options); !s) return failure(s.error());
    std::printf("%s: %dx%d\n", out.c_str(), image->width(), image->height());
    return kExitOk;
}

}  // namespace lmc::cli
