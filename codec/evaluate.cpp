// The measurement pipeline; contract in evaluate.h.
#include "codec/evaluate.h"

#include <chrono>
#include <new>
#include <string>
#include <utility>

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

}  // namespace

Result<Evaluation> evaluate(const Codec& codec, const ImageView& source, const ParamSet& params,
                            const CodecContext& context, const EvaluateOptions& options) {
    try {
        Evaluation out;
        const double encodeShare = options.decode ? 0.8 : 1.0;
        auto t0 = std::chrono::steady_clock::now();
        Result<Bytes> bytes = encodeImage(codec, source, params, stageContext(context, 0.0, encodeShare));
        out.encodeMs = millisecondsSince(t0);
        if (!bytes) return bytes.error();
        out.bytes = std::move(bytes).value();
        out.bitsPerTexel = bitsPerTexel(out.bytes.size(), source.texelCount());
        if (!options.decode) return out;
        if (context.cancelled()) return cancelledError();

        t0 = std::chrono::steady_clock::now();
        Result<Image> decoded = codec.decode(out.bytes, stageContext(context, encodeShare, 1.0));
        out.decodeMs = millisecondsSince(t0);
        if (!decoded) {
            if (decoded.error().code == ErrorCode::Cancelled) return decoded.error();
            out.decodeError = decoded.error();
            return out;
        }
        out.reconstruction = std::make_shared<const Image>(std::move(decoded).value());
        if (options.decoded) options.decoded(out);
        if (!options.measure) return out;
        if (context.cancelled()) return cancelledError();

        t0 = std::chrono::steady_clock::now();
        Result<QualityMetrics> metrics = computeMetrics(source, out.reconstruction->view(), options.metrics);
        out.metricsMs = millisecondsSince(t0);
        if (metrics)
            out.metrics = *metrics;
        else
            out.metricsError = metrics.error();
        return out;
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::Internal, "out of memory while evaluating " + codec.id());
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, "evaluating " + codec.id() + ": " + e.what());
    }
}

}  // namespace lmc
