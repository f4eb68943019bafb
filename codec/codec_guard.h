// The exception guard every library-wrapping codec puts around its encode and decode bodies, so that no exception
// crosses the lmc_codec boundary (result.h).
//
// guardedCodecCall runs `body` (returning Result<T> or Status) and turns what it throws into an Error whose message
// starts with `who`, e.g. "JPEG XL encoder": std::bad_alloc -> Internal "<who>: out of memory"; any other exception
// -> `otherCode` (Internal unless the codec knows better, e.g. CorruptData for a decoder whose library throws on
// damaged input) "<who>: <what()>"; anything else thrown -> the same code, "<who>: unknown exception".
// Threading: stateless. Errors: as above.
#pragma once

#include <exception>
#include <new>
#include <string>
#include <utility>

#include "codec/result.h"

namespace lmc {

template <typename Body>
auto guardedCodecCall(const char* who, Body&& body, ErrorCode otherCode = ErrorCode::Internal)
    -> decltype(std::forward<Body>(body)()) {
    try {
        return std::forward<Body>(body)();
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::Internal, std::string(who) + ": out of memory");
    } catch (const std::exception& ex) {
        return makeError(otherCode, std::string(who) + ": " + ex.what());
    } catch (...) {
        return makeError(otherCode, std::string(who) + ": unknown exception");
    }
}

}  // namespace lmc
