// WheelGuard: an event filter that keeps the mouse wheel from changing value controls (sliders, combo boxes, spin
// boxes) the user has not clicked or tabbed into. Scrolling a panel full of sliders otherwise changes whichever
// control passes under the cursor (an ASTC block size of 8x8 silently became 12x12). A wheel event over such a
// control without keyboard focus goes to the scroll area around it instead (the panel scrolls), or nowhere; once
// the control has focus, the wheel changes it as usual. Controls get Qt::StrongFocus so the wheel alone never
// gives them focus.
//
// Install once on the application (QCoreApplication::installEventFilter): it then covers every control, including
// those created later (parameter editors are rebuilt per codec). Threading: GUI thread. Errors: none.
#pragma once

#include <QObject>

namespace lmc {

class WheelGuard : public QObject {
    Q_OBJECT
public:
    explicit WheelGuard(QObject* parent = nullptr);

    // Installs one guard on the application (idempotent); returns it.
    static WheelGuard* installOnApplication();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
};

}  // namespace lmc
