// Our `jxl` and `avif` wrappers against Debian's command-line tools (cjxl/djxl, avifenc/avifdec) at matching
// settings on identical input texels, on every real lightmap: bytes ratio ours/CLI, log-PSNR and mPSNR difference
// ours - CLI (codec/metrics.h, visible texels), and the ratio of our encode+decode time to the CLI's (the tools'
// times include their file reading and writing: that is what a user of the CLI pays).
//
//   bench_peer_wrappers [--distance D] [--effort E] [--quality Q] [--speed S] [--threads N] [--only jxl|avif]
//                       [--files SUBSTRING] [DIR]
//
// Identical input: the texels our encoder hands to its library (jxlCodedTexels / avifCodedPlanes: clean-up and the
// fill outside the visible set) are written for the tool: a little-endian PFM of linear float for cjxl (declared
// linear with -x color_space=RGB_D65_SRG_Rel_Lin, --intensity_target = jxlIntensityTarget), and a 16-bit RGB PNG
// of the PQ planes for avifenc (--depth 12 -y 444 -r full --cicp 1/16/MC --min q --max q -c aom, --xmp with our
// scale packet, -j 1: libaom's row multithreading changes the bytes, and our wrapper turns it off). The PNG is
// written with stored (uncompressed) deflate blocks, so the bench needs no zlib. djxl writes PFM; avifdec writes a
// 16-bit PNG (--png-compress 0, read here without zlib) that is PQ-decoded as our decoder does.
//
// Targets (issue 15): within 3% bytes and 0.2 dB of the CLI; encode+decode within 2x the CLI's time on a 1 MP map.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "codec/avif_codec.h"
#include "codec/codec.h"
#include "codec/container.h"
#include "codec/exr_io.h"
#include "codec/jxl_codec.h"
#include "codec/metrics.h"

using namespace lmc;
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

bool writeFile(const fs::path& path, const void* data, std::size_t size) {
    std::ofstream out(path, std::ios::binary);
    out.write(static_cast<const char*>(data), std::streamsize(size));
    return bool(out);
}

Bytes readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

bool run(const std::string& command) {
    const int rc = std::system((command + " >/dev/null 2>&1").c_str());
    if (rc != 0) std::fprintf(stderr, "failed (%d): %s\n", rc, command.c_str());
    return rc == 0;
}

// PFM: "PF\n<w> <h>\n-1.0\n", little-endian float RGB, bottom row first (a positive scale means big-endian).
bool writePfm(const fs::path& path, const Image& image) {
    std::string header = "PF\n" + std::to_string(image.width()) + " " + std::to_string(image.height()) + "\n-1.0\n";
    std::ofstream out(path, std::ios::binary);
    out.write(header.data(), std::streamsize(header.size()));
    for (int y = image.height() - 1; y >= 0; --y)
        out.write(reinterpret_cast<const char*>(image.texel(0, y)), std::streamsize(image.width()) * 12);
    return bool(out);
}

Result<Image> readPfm(const fs::path& path) {
    const Bytes data = readFile(path);
    std::size_t at = 0;
    auto token = [&]() {
        while (at < data.size() && std::isspace(data[at])) ++at;
        std::string t;
        while (at < data.size() && !std::isspace(data[at])) t += char(data[at++]);
        return t;
    };
    const std::string magic = token();
    const int w = std::atoi(token().c_str()), h = std::atoi(token().c_str());
    const double scale = std::atof(token().c_str());
    ++at;  // the single whitespace after the scale
    const int channels = magic == "PF" ? 3 : magic == "Pf" ? 1 : 0;
    if (channels == 0 || scale == 0) return makeError(ErrorCode::CorruptData, "not a PFM");
    const bool bigEndian = scale > 0;  // djxl writes big-endian PFM
    auto created = Image::create(w, h);
    if (!created) return created.error();
    Image image = std::move(created).value();
    if (data.size() < at + std::size_t(w) * h * channels * 4) return makeError(ErrorCode::CorruptData, "short PFM");
    auto sample = [&](std::size_t i) {
        std::uint8_t b[4];
        std::memcpy(b, data.data() + at + 4 * i, 4);
        if (bigEndian) std::swap(b[0], b[3]), std::swap(b[1], b[2]);
        float v;
        std::memcpy(&v, b, 4);
        return v;
    };
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c)
                image.texel(x, h - 1 - y)[c] = sample((std::size_t(y) * w + x) * channels + (channels == 3 ? c : 0));
    return image;
}

void putU32be(Bytes& out, std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(std::uint8_t(v >> s));
}

// A 16-bit RGB PNG with stored deflate blocks (valid zlib without compression).
bool writePng16(const fs::path& path, int w, int h, const std::vector<std::uint16_t>& rgb) {
    Bytes raw;
    raw.reserve(std::size_t(h) * (1 + std::size_t(w) * 6));
    for (int y = 0; y < h; ++y) {
        raw.push_back(0);  // filter: none
        for (int i = 0; i < w * 3; ++i) {
            const std::uint16_t v = rgb[std::size_t(y) * w * 3 + i];
            raw.push_back(std::uint8_t(v >> 8));
            raw.push_back(std::uint8_t(v));
        }
    }
    Bytes z = {0x78, 0x01};
    for (std::size_t at = 0; at < raw.size() || at == 0;) {
        const std::size_t n = std::min<std::size_t>(65535, raw.size() - at);
        z.push_back(at + n == raw.size() ? 1 : 0);
        z.push_back(std::uint8_t(n)), z.push_back(std::uint8_t(n >> 8));
        z.push_back(std::uint8_t(~n)), z.push_back(std::uint8_t(~n >> 8));
        z.insert(z.end(), raw.begin() + std::ptrdiff_t(at), raw.begin() + std::ptrdiff_t(at + n));
        at += n;
        if (n == 0) break;
    }
    std::uint32_t a = 1, b = 0;
    for (std::uint8_t v : raw) a = (a + v) % 65521, b = (b + a) % 65521;
    putU32be(z, (b << 16) | a);
    Bytes png = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    auto chunk = [&](const char* type, const Bytes& data) {
        putU32be(png, std::uint32_t(data.size()));
        const std::size_t start = png.size();
        png.insert(png.end(), type, type + 4);
        png.insert(png.end(), data.begin(), data.end());
        putU32be(png, crc32(png.data() + start, png.size() - start));
    };
    Bytes ihdr;
    putU32be(ihdr, std::uint32_t(w));
    putU32be(ihdr, std::uint32_t(h));
    ihdr.insert(ihdr.end(), {16, 2, 0, 0, 0});  // 16 bits, RGB, deflate, adaptive filters, no interlace
    chunk("IHDR", ihdr);
    chunk("IDAT", z);
    chunk("IEND", {});
    return writeFile(path, png.data(), png.size());
}

double pqToNits(double v) {
    const double m1 = 2610.0 / 16384.0, m2 = 2523.0 / 4096.0 * 128.0, c1 = 3424.0 / 4096.0;
    const double c2 = 2413.0 / 4096.0 * 32.0, c3 = 2392.0 / 4096.0 * 32.0;
    const double p = std::pow(std::clamp(v, 0.0, 1.0), 1.0 / m2);
    return 10000.0 * std::pow(std::max(p - c1, 0.0) / (c2 - c3 * p), 1.0 / m1);
}

// avifdec's 16-bit RGB PNG written with --png-compress 0 (zlib stored blocks, so no inflate is needed here), with
// libavif's own YUV -> RGB conversion; PQ-decoded and divided by the scale as our decoder does.
Result<Image> readPng16Pq(const fs::path& path, float scale) {
    const Bytes png = readFile(path);
    auto u32 = [&](std::size_t at) {
        return (std::uint32_t(png[at]) << 24) | (std::uint32_t(png[at + 1]) << 16) | (std::uint32_t(png[at + 2]) << 8) |
               png[at + 3];
    };
    if (png.size() < 33 || std::memcmp(png.data() + 12, "IHDR", 4) != 0)
        return makeError(ErrorCode::CorruptData, "png");
    const int w = int(u32(16)), h = int(u32(20));
    if (png[24] != 16 || png[25] != 2 || png[28] != 0) return makeError(ErrorCode::Unsupported, "not 16-bit RGB");
    Bytes z;
    for (std::size_t at = 8; at + 12 <= png.size();) {
        const std::uint32_t n = u32(at);
        if (std::memcmp(png.data() + at + 4, "IDAT", 4) == 0)
            z.insert(z.end(), png.begin() + std::ptrdiff_t(at + 8), png.begin() + std::ptrdiff_t(at + 8 + n));
        at += 12 + n;
    }
    Bytes raw;
    for (std::size_t at = 2; at + 5 <= z.size();) {  // stored deflate blocks only
        const std::uint8_t head = z[at];
        if ((head >> 1) != 0) return makeError(ErrorCode::Unsupported, "compressed PNG (expected --png-compress 0)");
        const std::size_t n = z[at + 1] | (z[at + 2] << 8);
        raw.insert(raw.end(), z.begin() + std::ptrdiff_t(at + 5), z.begin() + std::ptrdiff_t(at + 5 + n));
        at += 5 + n;
        if (head & 1) break;
    }
    const std::size_t stride = std::size_t(w) * 6;
    if (raw.size() < std::size_t(h) * (stride + 1)) return makeError(ErrorCode::CorruptData, "short PNG");
    std::vector<std::uint8_t> prev(stride, 0), cur(stride);
    auto created = Image::create(w, h);
    if (!created) return created.error();
    Image image = std::move(created).value();
    for (int y = 0; y < h; ++y) {
        const std::uint8_t filter = raw[std::size_t(y) * (stride + 1)];
        const std::uint8_t* src = raw.data() + std::size_t(y) * (stride + 1) + 1;
        for (std::size_t i = 0; i < stride; ++i) {
            const int a = i >= 6 ? cur[i - 6] : 0, b = prev[i], c = i >= 6 ? prev[i - 6] : 0;
            int p = 0;
            switch (filter) {
                case 1:
                    p = a;
                    break;
                case 2:
                    p = b;
                    break;
                case 3:
                    p = (a + b) / 2;
                    break;
                case 4: {
                    const int pa = std::abs(b - c), pb = std::abs(a - c), pc = std::abs(a + b - 2 * c);
                    p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                    break;
                }
                default:
                    break;
            }
            cur[i] = std::uint8_t(src[i] + p);
        }
        for (int i = 0; i < w * 3; ++i) {
            const int v = (cur[2 * i] << 8) | cur[2 * i + 1];
            image.texel(0, y)[i] = float(pqToNits(v / 65535.0) / double(scale));
        }
        std::swap(prev, cur);
    }
    return image;
}

struct Row {
    double bytesRatio = 0, dLog = 0, dM = 0, timeRatio = 0;
    bool identical = false;
};

void printRow(const char* codec, const std::string& name, const Row& r, double oursBpp, double oursLog, double oursM,
              double oursS, double cliS) {
    std::printf(
        "%-5s %-46.46s bpp %6.3f  log %6.2f  mPSNR %6.2f | bytes %6.4f  dlog %+6.3f  dm %+6.3f | time %5.3f s / "
        "%5.3f s = %5.2f%s\n",
        codec, name.c_str(), oursBpp, oursLog, oursM, r.bytesRatio, r.dLog, r.dM, oursS, cliS, r.timeRatio,
        r.identical ? "  (identical bytes)" : "");
}

}  // namespace

int main(int argc, char** argv) {
    double distance = 1.0, quality = 90;
    int effort = 7, speed = 6, threads = 0;
    std::string only, filter, dir = LMC_REAL_LIGHTMAPS;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
        if (a == "--distance")
            distance = std::atof(next().c_str());
        else if (a == "--effort")
            effort = std::atoi(next().c_str());
        else if (a == "--quality")
            quality = std::atof(next().c_str());
        else if (a == "--speed")
            speed = std::atoi(next().c_str());
        else if (a == "--threads")
            threads = std::atoi(next().c_str());
        else if (a == "--only")
            only = next();
        else if (a == "--files")
            filter = next();
        else
            dir = a;
    }
    std::vector<fs::path> files;
    for (auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".exr" && e.path().filename().string().find(filter) != std::string::npos)
            files.push_back(e.path());
    std::sort(files.begin(), files.end());
    const fs::path tmp = fs::temp_directory_path() / ("lmc_bench_peer_" + std::to_string(::getpid()));
    fs::create_directories(tmp);
    CodecContext context;
    context.threads = threads;
    const int n = context.resolvedThreads();
    const Codec* jxl = CodecRegistry::builtin().find("jxl");
    const Codec* avif = CodecRegistry::builtin().find("avif");
    std::printf("settings: jxl distance %g effort %d; avif quality %g (quantizer %d) speed %d; %d threads\n", distance,
                effort, quality, avifQuantizerForQuality(int(quality)), speed, n);
    std::vector<Row> jxlRows, avifRows;
    std::vector<Row> jxlBig, avifBig;  // maps of at least 1 MP: the time target
    for (const auto& file : files) {
        auto loaded = readExr(file.string());
        if (!loaded) {
            std::fprintf(stderr, "%s: %s\n", file.c_str(), loaded.error().message.c_str());
            continue;
        }
        const Image& original = loaded->image;
        std::vector<std::uint8_t> storage;
        const ImageView visible = withMaskMode(original.view(), MaskMode::Visible, storage);
        const std::string name = file.filename().string();
        const bool big = original.texelCount() >= 1000000;
        MetricsOptions options;
        options.metrics = kMetricLogPsnr | kMetricMPsnr;

        if (only.empty() || only == "jxl") {
            ParamSet params = ParamSet::defaults(jxl->schema());
            params.set("distance", distance);
            params.set("effort", effort);
            auto t0 = Clock::now();
            auto ours = encodeImage(*jxl, original.view(), params, context);
            if (!ours) return std::fprintf(stderr, "jxl: %s\n", ours.error().message.c_str()), 2;
            auto oursImage = jxl->decode(*ours, context);
            const double oursS = secondsSince(t0);
            if (!oursImage) return std::fprintf(stderr, "jxl decode: %s\n", oursImage.error().message.c_str()), 2;

            auto texels = jxlCodedTexels(visible);
            char target[32];
            std::snprintf(target, sizeof(target), "%.9g", double(jxlIntensityTarget(visible)));
            writePfm(tmp / "in.pfm", *texels);
            t0 = Clock::now();
            const std::string threadsFlag = " --num_threads=" + std::to_string(n);
            if (!run("cjxl " + (tmp / "in.pfm").string() + " " + (tmp / "cli.jxl").string() + " -d " +
                     std::to_string(distance) + " -e " + std::to_string(effort) + " --intensity_target=" + target +
                     " -x color_space=RGB_D65_SRG_Rel_Lin --quiet" + threadsFlag) ||
                !run("djxl " + (tmp / "cli.jxl").string() + " " + (tmp / "cli.pfm").string() + threadsFlag))
                return 2;
            const double cliS = secondsSince(t0);
            const Bytes cli = readFile(tmp / "cli.jxl");
            auto cliImage = readPfm(tmp / "cli.pfm");
            if (!cliImage) return std::fprintf(stderr, "djxl output: %s\n", cliImage.error().message.c_str()), 2;
            auto mo = computeMetrics(original.view(), oursImage->view(), options);
            auto mc = computeMetrics(original.view(), cliImage->view(), options);
            Row r{double(ours->size()) / double(cli.size()), mo->logPsnr - mc->logPsnr, mo->mPsnr - mc->mPsnr,
                  oursS / cliS, *ours == cli};
            printRow("jxl", name, r, bitsPerTexel(ours->size(), original.texelCount()), mo->logPsnr, mo->mPsnr, oursS,
                     cliS);
            jxlRows.push_back(r);
            if (big) jxlBig.push_back(r);
        }
        if (only.empty() || only == "avif") {
            ParamSet params = ParamSet::defaults(avif->schema());
            params.set("quality", quality);
            params.set("speed", speed);
            auto t0 = Clock::now();
            auto ours = encodeImage(*avif, original.view(), params, context);
            if (!ours) return std::fprintf(stderr, "avif: %s\n", ours.error().message.c_str()), 2;
            auto oursImage = avif->decode(*ours, context);
            const double oursS = secondsSince(t0);
            if (!oursImage) return std::fprintf(stderr, "avif decode: %s\n", oursImage.error().message.c_str()), 2;

            const float scale = avifPqScale(visible);
            auto planes = avifCodedPlanes(visible, scale);
            writePng16(tmp / "in.png", original.width(), original.height(), *planes);
            const std::string xmp = avifScaleXmp(scale);
            writeFile(tmp / "scale.xmp", xmp.data(), xmp.size());
            const int q = avifQuantizerForQuality(int(quality));
            t0 = Clock::now();
            if (!run("avifenc " + (tmp / "in.png").string() + " " + (tmp / "cli.avif").string() +
                     " --depth 12 -y 444 -r full --cicp 1/16/" + std::to_string(kAvifMatrix) + " -c aom -j 1 --min " +
                     std::to_string(q) + " --max " + std::to_string(q) + " -s " + std::to_string(speed) + " --xmp " +
                     (tmp / "scale.xmp").string()) ||
                !run("avifdec -j " + std::to_string(n) + " -d 16 --png-compress 0 " + (tmp / "cli.avif").string() +
                     " " + (tmp / "cli.png").string()))
                return 2;
            const double cliS = secondsSince(t0);
            const Bytes cli = readFile(tmp / "cli.avif");
            auto cliImage = readPng16Pq(tmp / "cli.png", scale);
            if (!cliImage) return std::fprintf(stderr, "avifdec output: %s\n", cliImage.error().message.c_str()), 2;
            auto mo = computeMetrics(original.view(), oursImage->view(), options);
            auto mc = computeMetrics(original.view(), cliImage->view(), options);
            Row r{double(ours->size()) / double(cli.size()), mo->logPsnr - mc->logPsnr, mo->mPsnr - mc->mPsnr,
                  oursS / cliS, *ours == cli};
            printRow("avif", name, r, bitsPerTexel(ours->size(), original.texelCount()), mo->logPsnr, mo->mPsnr, oursS,
                     cliS);
            avifRows.push_back(r);
            if (big) avifBig.push_back(r);
        }
        std::fflush(stdout);
    }
    auto summary = [](const char* codec, const std::vector<Row>& rows, const std::vector<Row>& big) {
        if (rows.empty()) return;
        double b = 0, l = 0, m = 0, t = 0, tb = 0, worstB = 0, worstDb = 0;
        int identical = 0;
        for (const Row& r : rows) {
            b += r.bytesRatio, l += r.dLog, m += r.dM, t += r.timeRatio;
            worstB = std::max(worstB, std::fabs(r.bytesRatio - 1));
            worstDb = std::max({worstDb, std::fabs(r.dLog), std::fabs(r.dM)});
            identical += r.identical;
        }
        for (const Row& r : big) tb += r.timeRatio;
        const double k = double(rows.size());
        std::printf(
            "%-5s mean over %zu files: bytes ours/CLI %.4f (worst |1 - ratio| %.4f), dlog %+.3f dB, dmPSNR %+.3f "
            "dB (worst |d| %.3f), time ours/CLI %.2f (maps >= 1 MP: %.2f over %zu); identical files %d/%zu\n",
            codec, rows.size(), b / k, worstB, l / k, m / k, worstDb, t / k,
            big.empty() ? 0.0 : tb / double(big.size()), big.size(), identical, rows.size());
    };
    summary("jxl", jxlRows, jxlBig);
    summary("avif", avifRows, avifBig);
    fs::remove_all(tmp);
    return 0;
}
