// The shared row runner (codec/parallel_rows.h) under the names the BC6H codec uses.
#pragma once

#include "codec/parallel_rows.h"

namespace lmc::bc6h {
using lmc::forEachRow;
using lmc::progressSlice;
}  // namespace lmc::bc6h
