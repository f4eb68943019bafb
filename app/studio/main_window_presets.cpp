// StudioHooks over MainWindow's public API, kept apart from main_window.cpp so the window can be restructured
// without touching presets and export.
#include "app/studio/main_window.h"
#include "app/studio/param_editor.h"
#include "app/studio/preset_actions.h"
#include "app/studio/workspace_model.h"
#include "widgets/rd_chart.h"
#include "widgets/tile_grid_view.h"

namespace lmc::studio {

StudioHooks mainWindowHooks(MainWindow* w) {
    StudioHooks h;
    h.currentFile = [w] { return w->currentFile(); };
    h.currentImage = [w] { return w->currentImage(); };
    h.maskMode = [w] { return w->model().maskMode(); };
    h.currentCodec = [w] { return w->currentCodecId(); };
    h.currentParams = [w] {
        ParamEditor* editor = w->paramEditor();
        return editor ? editor->values() : ParamSet();
    };
    h.currentResult = [w] { return w->lastResult(); };
    h.resultFor = [w](const std::string& codecId) { return w->result(codecId); };
    h.scheduler = [w] { return w->model().scheduler(); };
    h.applyPreset = [w](const std::string& codecId, const ParamSet& params) {
        w->setCodecEnabled(codecId, true);
        w->selectCodec(codecId);
        ParamEditor* editor = w->paramEditor(codecId);
        if (!editor || w->currentCodecId() != codecId) return false;
        editor->setValues(params);
        // setValues does not announce programmatic changes; announcing it runs the same path as a user edit
        // (stored parameters, debounced recompression, chart marker).
        emit editor->valuesChanged();
        return true;
    };
    h.currentGpuFormat = [w] {
        const CodecState* s = w->model().state(w->currentCodecId());
        return s && s->gpuFormat ? s->gpuFormat->name : std::string();
    };
    h.applyGpuFormat = [w](const std::string& codecId, const std::string& gpuFormat) {
        return w->model().setGpuFormat(codecId, gpuFormat);
    };
    h.heatmapImage = [w] {
        // The selected codec's error map at texel resolution, when the heatmap view has computed it.
        TileGridView* heat = w->views()->heatmapView();
        return heat ? heat->displayedImage(QString::fromStdString(w->currentCodecId())) : QImage();
    };
    h.chartImage = [w] {
        RdChartView* chart = w->views()->chartView();
        if (!chart || chart->width() < 100 || chart->height() < 100) return QImage();
        return chart->grab().toImage();
    };
    return h;
}

}  // namespace lmc::studio
