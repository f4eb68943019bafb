#include "app/preset/metrics_csv.h"

#include <cmath>
#include <cstdio>

namespace lmc::preset {

namespace {

std::string number(double v, int precision) {
    if (std::isnan(v)) return {};
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", precision, v);
    return buf;
}

}  // namespace

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

MetricsCsvRow measuredRow(const std::string& file, const Codec& codec, const ParamSet& params,
                          const Evaluation& evaluation, const ImageView& source, double coveredFraction,
                          MaskMode mask) {
    MetricsCsvRow row;
    row.file = file;
    row.codec = codec.id();
    row.params = formatParamSet(codec.schema(), params);
    row.bytes = evaluation.bytes.size();
    row.bpp = evaluation.bitsPerTexel;
    row.metrics = evaluation.metrics ? &*evaluation.metrics : nullptr;
    row.encodeMs = evaluation.encodeMs;
    row.decodeMs = evaluation.decodeMs;
    row.width = source.width;
    row.height = source.height;
    row.coveredFraction = coveredFraction;
    row.mask = maskModeName(mask);
    row.vramBpp = codec.traits(params).gpuBitsPerTexel;
    if (evaluation.chain) {
        row.chain = &*evaluation.chain;
        row.vramBpp = evaluation.chain->vramBitsPerTexel;
    }
    return row;
}

std::string metricsCsvHeader(bool withOutput, bool withChain) {
    return std::string(
               "file,codec,params,bytes,bpp,mpsnr,logpsnr,pu21psnr,ssim,encode_ms,decode_ms,"
               "rmse,max_abs_error,width,height,covered_fraction,mask,vram_bpp") +
           (withChain ? ",gpu_format,gpu_mpsnr,gpu_logpsnr,gpu_pu21psnr,load_ms" : "") +
           (withOutput ? ",output\n" : "\n");
}

std::string metricsCsvRow(const MetricsCsvRow& r, bool withOutput, bool withChain) {
    const double nan = std::nan("");
    const QualityMetrics* m = r.metrics;
    std::string s =
        csvField(r.file) + "," + csvField(r.codec) + "," + csvField(r.params) + "," + std::to_string(r.bytes) + "," +
        number(r.bpp, 4) + "," + number(m ? m->mPsnr : nan, 4) + "," + number(m ? m->logPsnr : nan, 4) + "," +
        number(m ? m->pu21Psnr : nan, 4) + "," + number(m ? m->pu21Ssim : nan, 5) + "," + number(r.encodeMs, 2) + "," +
        number(r.decodeMs < 0 ? nan : r.decodeMs, 2) + "," + number(m ? m->rmse : nan, 6) + "," +
        number(m ? m->maxAbsError : nan, 6) + "," + std::to_string(r.width) + "," + std::to_string(r.height) + "," +
        number(r.coveredFraction, 4) + "," + csvField(r.mask) + "," + number(r.vramBpp > 0 ? r.vramBpp : nan, 4);
    if (withChain) {
        const ChainEvaluation* c = r.chain;
        const QualityMetrics* g = c && c->metrics ? &*c->metrics : nullptr;
        s += "," + csvField(c ? c->format : "") + "," + number(g ? g->mPsnr : nan, 4) + "," +
             number(g ? g->logPsnr : nan, 4) + "," + number(g ? g->pu21Psnr : nan, 4) + "," +
             number(c && c->loadMs >= 0 ? c->loadMs : nan, 2);
    }
    if (withOutput) s += "," + csvField(r.output);
    return s + "\n";
}

}  // namespace lmc::preset
