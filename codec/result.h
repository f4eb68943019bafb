// Result and Error: how every fallible function of lmc_codec reports failure.
//
// The codec library never throws across its boundary: functions return Result<T> (a value or an Error) or Status
// (Result<void>). Errors carry a machine-readable code and an English one-line message; the UI maps the code to
// translated text and may show the message as detail. Result is a plain value type, safe to move between threads.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace lmc {

enum class ErrorCode {
    InvalidArgument,  // a parameter or option the caller passed is out of range or unknown
    IoError,          // a file could not be opened, read or written
    CorruptData,      // a file or bitstream is damaged, truncated or not what it claims to be
    Unsupported,      // a valid file that uses something we do not handle (deep EXR, no colour channels, ...)
    TooLarge,         // dimensions above the documented limits; refused before allocating
    Cancelled,        // the caller's CancelToken fired
    Internal,         // a bug or an unexpected failure of a dependency
};

const char* errorCodeName(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;
};

inline Error makeError(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : storage_(std::move(value)) {}  // NOLINT: implicit by design, like std::expected
    Result(Error error) : storage_(std::move(error)) {}

    bool ok() const { return storage_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & {
        assert(ok());
        return std::get<0>(storage_);
    }
    const T& value() const& {
        assert(ok());
        return std::get<0>(storage_);
    }
    T&& value() && {
        assert(ok());
        return std::get<0>(std::move(storage_));
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const {
        assert(!ok());
        return std::get<1>(storage_);
    }

private:
    std::variant<T, Error> storage_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), ok_(false) {}

    bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Error& error() const {
        assert(!ok_);
        return error_;
    }

private:
    Error error_;
    bool ok_ = true;
};

using Status = Result<void>;

}  // namespace lmc
