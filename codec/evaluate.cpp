// The measurement pipeline; contract in evaluate.h.
#include "codec/evaluate.h"

#include <chrono>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lmc {

double millisecondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

std::optional<Error> firstFailure(const Result<Evaluation>& evaluation) {
    if (!evaluation) return evaluation.error();
    if (evaluation->decodeError)
        return makeError(evaluation->decodeError->code, "decoding failed: " + evaluation->decodeError->message);
    if (evaluation->metricsError) return evaluation->metricsError;
    return std::nullopt;
}

namespace {

// The caller's context with its progress mapped onto [from, to].
CodecContext stageContext(const CodecContext& context, double from, double to) {
    CodecContext stage = context;
    if (context.progress) {
        auto report = context.progress;
        stage.progress = [report, from, to](double f) { report(from + (to - from) * f); };
    }
    return stage;
}

// The reconstruction through `gpu`, measured against the source.
ChainEvaluation evaluateChain(const GpuFormat& gpu, const ImageView& source, const Evaluation& stored,
                              const CodecContext& context, const MetricsOptions& metricsOptions) {
    ChainEvaluation chain;
    chain.format = gpu.name;
    chain.vramBitsPerTexel = gpu.codec->traits(gpu.params).gpuBitsPerTexel;
    // The decoded texels with the source's coverage: the GPU encoder sees the texels a direct encode would judge.
    ImageView texels = stored.reconstruction->view();
    texels.mask = source.mask;
    texels.maskStride = source.maskStride;
    // The GPU encoder is told it sees a decoded map, whose negative values are the storage codec's noise.
    CodecContext transcode = context;
    transcode.transcoding = true;
    const auto t0 = std::chrono::steady_clock::now();
    Result<Bytes> blocks = encodeImage(*gpu.codec, texels, gpu.params, transcode);
    chain.transcodeMs = millisecondsSince(t0);
    if (!blocks) {
        chain.error = blocks.error();
        return chain;
    }
    chain.loadMs = stored.decodeMs + chain.transcodeMs;
    Result<Image> shown = gpu.codec->decode(*blocks, context);
    if (!shown) {
        chain.error = shown.error();
        return chain;
    }
    auto picture = std::make_shared<const Image>(std::move(shown).value());
    chain.reconstruction = picture;
    Result<QualityMetrics> metrics = computeMetrics(source, picture->view(), metricsOptions);
    if (metrics)
        chain.metrics = *metrics;
    else
        chain.error = metrics.error();
    return chain;
}

}  // namespace

Result<GpuFormat> parseGpuFormat(const CodecRegistry& registry, const std::string& text) {
    const auto colon = text.find(':');
    const std::string id = text.substr(0, colon), option = colon == std::string::npos ? "" : text.substr(colon + 1);
    auto bad = [&](const std::string& why) {
        return makeError(ErrorCode::InvalidArgument, "GPU format '" + text + "': " + why);
    };
    GpuFormat format;
    format.name = text;
    format.codec = registry.find(id);
    if ((id != "bc6h" && id != "astc") || !format.codec) return bad("expected bc6h[:LEVEL] or astc[:BLOCK]");
    if (colon != std::string::npos && option.empty()) return bad("nothing after ':'");
    const ParamSchema schema = format.codec->schema();
    ParamSet params = ParamSet::defaults(schema);
    const std::string key = id == "bc6h" ? "quality" : "block";
    // BC6H at full resolution (the GPU samples every texel), without supercompression (the blocks as it holds them).
    std::vector<std::pair<std::string, std::string>> named{
        {key, option.empty() ? (id == "bc6h" ? "normal" : "6x6") : option}};
    if (id == "bc6h") named.insert(named.end(), {{"resolution", "full"}, {"supercompression", "none"}});
    for (const auto& [name, text] : named) {
        const ParamSpec* spec = findParam(schema, name);
        if (!spec) return bad("the codec has no '" + name + "' parameter");
        auto value = parseParamValue(*spec, text);
        if (!value) return bad(value.error().message);
        params.set(name, *value);
    }
    auto validated = validateParams(schema, params);
    if (!validated) return bad(validated.error().message);
    format.params = *validated;
    return format;
}

namespace {

// The stages after encoding: decode out.bytes, measure, transcode for a chain. `decodeContext` carries the decoder's
// progress; `decoded` (may be empty) sees the reconstruction before the metrics run.
Result<Evaluation> decodeAndMeasure(const Codec& codec, const ImageView& source, const ParamSet& params,
                                    const CodecContext& context, const CodecContext& decodeContext,
                                    const EvaluateOptions& options,
                                    const std::function<void(const Evaluation&)>& decoded, Evaluation out) {
    if (context.cancelled()) return cancelledError();
    auto t0 = std::chrono::steady_clock::now();
    Result<Image> image = codec.decode(out.bytes, decodeContext);
    out.decodeMs = millisecondsSince(t0);
    if (!image) {
        if (image.error().code == ErrorCode::Cancelled) return image.error();
        out.decodeError = image.error();
        return out;
    }
    out.reconstruction = std::make_shared<const Image>(std::move(image).value());
    if (decoded) decoded(out);
    if (!options.measure) return out;
    if (context.cancelled()) return cancelledError();

    // A chain measures against the source twice: scan it for its normalisation once.
    MetricsOptions metricsOptions = options.metrics;
    std::optional<MetricsNormalization> normalization;
    if (options.gpuFormat && !metricsOptions.normalization)
        if (auto n = computeNormalization(source)) {
            normalization = *n;
            metricsOptions.normalization = &*normalization;
        }
    t0 = std::chrono::steady_clock::now();
    Result<QualityMetrics> metrics = computeMetrics(source, out.reconstruction->view(), metricsOptions);
    out.metricsMs = millisecondsSince(t0);
    if (metrics)
        out.metrics = *metrics;
    else
        out.metricsError = metrics.error();
    if (options.gpuFormat && options.gpuFormat->codec) {
        const double nativeGpuBits = codec.traits(params).gpuBitsPerTexel;
        if (nativeGpuBits > 0) {
            ChainEvaluation native;
            native.format = "native";
            native.vramBitsPerTexel = nativeGpuBits;
            native.metrics = out.metrics;
            native.error = out.metricsError;
            native.reconstruction = out.reconstruction;
            out.chain = std::move(native);
        } else {
            if (context.cancelled()) return cancelledError();
            out.chain = evaluateChain(*options.gpuFormat, source, out, context, metricsOptions);
            if (out.chain->error && out.chain->error->code == ErrorCode::Cancelled) return *out.chain->error;
        }
    }
    return out;
}

}  // namespace

Result<Evaluation> evaluate(const Codec& codec, const ImageView& source, const ParamSet& params,
                            const CodecContext& context, const EvaluateOptions& options) {
    try {
        Evaluation out;
        const double encodeShare = options.decode ? 0.8 : 1.0;
        const auto t0 = std::chrono::steady_clock::now();
        CodecContext encodeContext = stageContext(context, 0.0, encodeShare);
        encodeContext.interim = nullptr;
        if (options.interim && options.decode && options.measure)
            encodeContext.interim = [&](const Bytes& stream) {
                Evaluation partial;
                partial.bytes = stream;
                partial.bitsPerTexel = bitsPerTexel(stream.size(), source.texelCount());
                partial.encodeMs = millisecondsSince(t0);
                // The interim decode reports no progress: the bar follows the encode.
                CodecContext quiet = context;
                quiet.progress = nullptr;
                quiet.interim = nullptr;
                Result<Evaluation> measured =
                    decodeAndMeasure(codec, source, params, quiet, quiet, options, nullptr, std::move(partial));
                if (measured && !firstFailure(measured) && !(measured->chain && measured->chain->error))
                    options.interim(*measured);
            };
        Result<Bytes> bytes = encodeImage(codec, source, params, encodeContext);
        out.encodeMs = millisecondsSince(t0);
        if (!bytes) return bytes.error();
        out.bytes = std::move(bytes).value();
        out.bitsPerTexel = bitsPerTexel(out.bytes.size(), source.texelCount());
        if (!options.decode) return out;
        return decodeAndMeasure(codec, source, params, context, stageContext(context, encodeShare, 1.0), options,
                                options.decoded, std::move(out));
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::Internal, "out of memory while evaluating " + codec.id());
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, "evaluating " + codec.id() + ": " + e.what());
    }
}

}  // namespace lmc
