// User-facing text for lmc::Error: a translated sentence chosen by ErrorCode, followed by the library's English
// detail message (kept as is: it names files, parameters and values the user needs to act on).
//
// Threading: call on the GUI thread (translations are installed there). Errors: none.
#pragma once

#include <QString>

#include "codec/result.h"

namespace lmc::studio {

// One translated sentence for the code, e.g. "The file is damaged or is not what it claims to be."
QString errorSummary(ErrorCode code);
// Summary plus the detail message on its own line (the detail is omitted when empty).
QString errorText(const Error& error);

}  // namespace lmc::studio
