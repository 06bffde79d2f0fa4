#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

// The browser's request to Presently's loopback listener at the end of a single sign-on, read from the bytes that
// arrived so far (SsoCallbackListener feeds them). Pure, so tests/fuzz/fuzz_sso_callback runs it on any bytes.
//
// Accepted is only `GET /<path>?state=<the state>&loginToken=<token> HTTP/1.x` followed by headers: the state is
// the secret the listener put in the redirect URL, so a page that merely knows the port cannot sign anyone in.
struct SsoCallbackRequest {
    // The request line may be this long, the whole head this large; a browser's is far smaller.
    static constexpr qsizetype maxRequestLineBytes = 4 * 1024;
    static constexpr qsizetype maxHeadBytes = 16 * 1024;

    enum class Verdict : quint8 {
        Incomplete,  // the head has not all arrived: keep reading
        Accepted,    // loginToken holds the token
        Refused,     // answer 400 and keep waiting for the real one; `reason` says why (no token in it)
        TooLarge,    // drop the connection
    };

    Verdict verdict = Verdict::Incomplete;
    QString loginToken;
    QString reason;

    static SsoCallbackRequest read(QByteArrayView received, QByteArrayView path, QByteArrayView state);
};
