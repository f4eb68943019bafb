// lmc: the command-line face of Lightmap Codec Studio. Each command lives in its own cmd_*.cpp; this table is the
// one place that lists them.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/cli/cli.h"
#include "codec/install_paths.h"
#include "codec/learned/learned_codec.h"

namespace lmc::cli {
Run declareCodecs(CLI::App& command);
Run declareInfo(CLI::App& command);
Run declareEncode(CLI::App& command);
Run declareDecode(CLI::App& command);
Run declareEval(CLI::App& command);
Run declareBake(CLI::App& command);
Run declareBakeSet(CLI::App& command);
Run declareApply(CLI::App& command);
Run declarePreset(CLI::App& command);
Run declareTrain(CLI::App& command);
Run declareReport(CLI::App& command);

const Command kCommands[] = {
    {"codecs", "list every codec with its parameters, ranges and defaults", declareCodecs},
    {"info", "size, channels, pixel type, value range and covered fraction of an EXR", declareInfo},
    {"encode", "compress a lightmap", declareEncode},
    {"decode", "decompress any stream lmc wrote (.lmc, .dds, .dds.zst, .astc, .jxl, .avif, .exr, .j2k)", declareDecode},
    {"eval", "encode, decode and measure; one CSV row per file and setting", declareEval},
    {"bake", "bake a procedural lightmap atlas (path-traced, coverage mask in alpha)", declareBake},
    {"bake-set", "bake a varied training set (styles, seeds, sizes) with a train/validation manifest.tsv",
     declareBakeSet},
    {"apply",
     "compress files and folders (recursive *.exr) with a preset's codec and parameters; never overwrites inputs",
     declareApply},
    {"preset", "validate and print a preset, or write one (optionally with a metrics snapshot measured on IN.exr)",
     declarePreset},
    {"train", "train a learned codec on EXR lightmaps (checkpoints every few minutes, resumable, CSV log, validation)",
     declareTrain},
    {"report",
     "Bjøntegaard BD-rate / BD-quality of every codec in eval CSVs against reference codecs, per file and mean",
     declareReport},
};

namespace {

std::vector<const CLI::App*> subcommandsOf(const CLI::App& app) {
    return app.get_subcommands([](const CLI::App*) { return true; });
}

// "encode -c CODEC [-p key=value]... [--threads N] IN.exr OUT", from the declarations.
std::string synopsis(const CLI::App& command) {
    std::string text;
    for (const CLI::App* sub : subcommandsOf(command))
        text += (text.empty() ? "" : " | ") + command.get_name() + " " + synopsis(*sub);
    if (!text.empty()) return text;
    std::string options, positionals;
    for (const CLI::Option* o : command.get_options()) {
        if (o == command.get_help_ptr()) continue;
        const std::string repeat = o->get_items_expected_max() > 1 ? "..." : "";
        if (o->get_positional()) {
            positionals += " " + o->get_name() + repeat;
            continue;
        }
        std::string item = o->get_snames().empty() ? "--" + o->get_lnames().front() : "-" + o->get_snames().front();
        const std::string type = o->get_type_name();  // "N:in [1, 256]": without integerIn's range
        if (!type.empty()) item += " " + type.substr(0, type.find(":in ["));
        options += (o->get_required() ? " " + item : " [" + item + "]") + repeat;
    }
    return command.get_name() + options + positionals;
}

// "-p a=1 -p b=2" as before: CLI11 would let a repeatable option take the positionals after it as values too.
void oneValuePerOccurrence(CLI::App& app) {
    for (CLI::Option* o : app.get_options())
        if (!o->get_positional()) o->allow_extra_args(false);
    for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) oneValuePerOccurrence(*sub);
}

void printHelp(const CLI::App& lmc, std::FILE* out) {
    std::fprintf(out, "Lightmap Codec Studio command line %s\n\nusage:\n", LMC_VERSION);
    for (const CLI::App* c : subcommandsOf(lmc))
        std::fprintf(out, "  lmc %s\n      %s\n", synopsis(*c).c_str(), c->get_description().c_str());
    std::fprintf(out,
                 "\n'lmc help COMMAND' or 'lmc COMMAND --help' describes each option.\n"
                 "exit status: 0 success, 1 usage error, 2 bad input or failed codec\n");
}

// The version and where this binary finds what ships beside it (codec/install_paths.h); LibTorch is not loaded.
void printVersion() {
    auto firstFile = [](const std::vector<std::string>& paths) -> std::optional<std::filesystem::path> {
        for (const std::string& path : paths)
            if (std::error_code ec; std::filesystem::is_regular_file(path, ec))
                return std::filesystem::path(path).lexically_normal();
        return std::nullopt;
    };
    const auto model = firstFile(learned::modelSearchPaths(learned::Family::Hyperprior));
    const auto plugin = firstFile(torchBackendCandidates());
    std::printf("lmc %s\nmodels   %s\nlibtorch %s\n", LMC_VERSION,
                model ? model->parent_path().string().c_str() : "not found",
                plugin ? (plugin->string() + " (loaded when needed)").c_str()
                       : "not found (lmc train and GPU analysis unavailable)");
}

}  // namespace
}  // namespace lmc::cli

int main(int argc, char** argv) {
    using namespace lmc::cli;
    CLI::App lmc("Lightmap Codec Studio command line", "lmc");
    // One command per call; this also keeps a later argument named like a command (a file "info") a positional.
    lmc.require_subcommand(1);
    // As before CLI11: a repeated single-value option keeps its last value; a switch takes no value.
    lmc.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)->disable_flag_override();
    std::vector<std::pair<const CLI::App*, Run>> runs;
    for (const auto& c : kCommands) {
        CLI::App* command = lmc.add_subcommand(c.name, c.summary);
        runs.emplace_back(command, c.declare(*command));
    }
    oneValuePerOccurrence(lmc);

    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        printHelp(lmc, stderr);
        return kExitUsage;
    }
    if (args[0] == "--version") {
        printVersion();
        return kExitOk;
    }
    if (args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
        if (args.size() == 1) {
            printHelp(lmc, stdout);
            return kExitOk;
        }
        args.erase(args.begin());  // lmc help preset create: lmc preset create --help
        args.push_back("--help");
    }
    if (std::none_of(std::begin(kCommands), std::end(kCommands), [&](const Command& c) { return args[0] == c.name; }))
        return usageError("unknown command '" + args[0] + "'");
    try {
        std::reverse(args.begin(), args.end());  // CLI11 takes the arguments last first
        lmc.parse(args);
    } catch (const CLI::CallForHelp&) {
        std::fputs(lmc.help().c_str(), stdout);
        return kExitOk;
    } catch (const CLI::ParseError& e) {
        std::string message = e.what();
        std::replace(message.begin(), message.end(), '\n', ' ');
        return usageError(message);
    }
    for (const auto& [command, run] : runs)
        if (command->parsed()) return run();
    return kExitUsage;  // not reached: require_subcommand(1)
}
