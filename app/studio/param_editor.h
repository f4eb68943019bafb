// ParamEditor: controls generated from a codec's ParamSchema, so a new codec needs no UI code.
//
// Int and Float parameters get a slider with a spin box, Enum a combo box (an Enum rate parameter: a slider over its
// choices, fewest bits left, with the choice named beside it), Bool a check box. The rate parameter
// (ParamSpec::isRate) comes first, in its own emphasised row with a full-width slider; the others follow in a
// form. Labels, descriptions (tooltips) and enum choices are English in the schema and translated here through
// the "lmc::studio::CodecText" context, so translators can cover new codecs in the .ts files without code changes.
//
// valuesChanged() fires on every user edit, including each step of a slider drag (callers debounce). Programmatic
// setValues() does not emit it.
// Threading: GUI thread only. Errors: values outside the schema are clamped to its range.
#pragma once

#include <QWidget>

#include <functional>
#include <vector>

#include "codec/params.h"

class QFormLayout;
class QLabel;
class QSlider;
class QVBoxLayout;

namespace lmc::studio {

class ParamEditor : public QWidget {
    Q_OBJECT
public:
    explicit ParamEditor(QWidget* parent = nullptr);

    // Rebuilds the controls for `schema`, showing `values` (missing values take the schema's defaults).
    void setSchema(const ParamSchema& schema, const ParamSet& values);
    const ParamSchema& schema() const { return schema_; }
    // Shows `values` without emitting valuesChanged.
    void setValues(const ParamSet& values);
    ParamSet values() const { return values_; }

    // The rate parameter's slider, or nullptr when the schema has none (for shortcuts and tests).
    QSlider* rateSlider() const { return rateSlider_; }
    // The control widget created for a parameter id (QSlider / QComboBox / QCheckBox / ...), or nullptr.
    QWidget* control(const std::string& id) const;

    // Translated display text for schema strings and enum choices.
    static QString translatedLabel(const ParamSpec& spec);
    static QString translatedDescription(const ParamSpec& spec);
    static QString choiceText(const ParamSpec& spec, int choice);
    // A setting as the user reads it, in the schema's order: "Quality 75 · Chroma 4:2:0 (half chroma)" (translated
    // labels and choices; the ids of formatParamSet are for files and the command line).
    static QString settingsText(const ParamSchema& schema, const ParamSet& values);

signals:
    void valuesChanged();

protected:
    void changeEvent(QEvent* event) override;

private:
    struct Entry {
        ParamSpec spec;
        QWidget* control = nullptr;  // slider, combo or check box
        QWidget* spin = nullptr;     // spin box next to a slider
        QLabel* label = nullptr;
        std::function<void(double)> show;  // puts a value into the widgets without emitting
    };
    void rebuild();
    void addEntry(const ParamSpec& spec, bool prominent);
    void userChanged(const std::string& id, double value);
    void retranslate();

    ParamSchema schema_;
    ParamSet values_;
    std::vector<Entry> entries_;
    QVBoxLayout* layout_ = nullptr;
    QWidget* content_ = nullptr;
    QSlider* rateSlider_ = nullptr;
    bool updating_ = false;
};

}  // namespace lmc::studio
