#include "app/studio/error_text.h"

#include <QCoreApplication>

namespace lmc::studio {

QString errorSummary(ErrorCode code) {
    switch (code) {
        case ErrorCode::InvalidArgument:
            return QCoreApplication::translate("lmc::studio::ErrorText",
                                               "A setting is out of range or not recognised.");
        case ErrorCode::IoError:
            return QCoreApplication::translate("lmc::studio::ErrorText",
                                               "The file could not be opened, read or written.");
        case ErrorCode::CorruptData:
            return QCoreApplication::translate("lmc::studio::ErrorText",
                                               "The file is damaged or is not what it claims to be.");
        case ErrorCode::Unsupported:
            return QCoreApplication::translate("lmc::studio::ErrorText",
                                               "The file uses a feature this program does not support.");
        case ErrorCode::TooLarge:
            return QCoreApplication::translate("lmc::studio::ErrorText",
                                               "The image is larger than this program accepts.");
        case ErrorCode::Cancelled:
            return QCoreApplication::translate("lmc::studio::ErrorText", "The operation was cancelled.");
        case ErrorCode::Internal:
            break;
    }
    return QCoreApplication::translate("lmc::studio::ErrorText", "An unexpected internal error occurred.");
}

QString errorText(const Error& error) {
    QString text = errorSummary(error.code);
    if (!error.message.empty()) text += QLatin1Char('\n') + QString::fromStdString(error.message);
    return text;
}

}  // namespace lmc::studio
