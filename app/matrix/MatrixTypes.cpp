#include "matrix/MatrixTypes.h"

#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

bool ProfileFieldCapability::canSet(const QString &field) const
{
    return enabled && !disallowed.contains(field) && (allowed.isEmpty() || allowed.contains(field));
}

bool ServerVersions::supportsAtLeast(int major, int minor) const
{
    static const QRegularExpression versionPattern(u"^v(\\d+)\\.(\\d+)$"_s);
    for (const QString &version : versions) {
        const QRegularExpressionMatch match = versionPattern.match(version);
        if (!match.hasMatch())
            continue;  // r0.x.y predates every feature we ask about
        const int foundMajor = match.captured(1).toInt();
        const int foundMinor = match.captured(2).toInt();
        if (foundMajor > major || (foundMajor == major && foundMinor >= minor))
            return true;
    }
    return false;
}

std::optional<MxcUri> MxcUri::parse(QStringView uri)
{
    // Server name: hostname, IPv4 or [IPv6] with an optional port. Media ID: [A-Za-z0-9_-]+ (spec, Content repository).
    // Anchored whole: `$` would also match before a final newline, letting "mxc://a/b\n" through.
    static const QRegularExpression pattern(QRegularExpression::anchoredPattern(
        u"mxc://((?:[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?)/([A-Za-z0-9_-]+)"_s));
    const QRegularExpressionMatch match = pattern.match(uri.toString());
    if (!match.hasMatch())
        return std::nullopt;
    return MxcUri{match.captured(1), match.captured(2)};
}

QString MxcUri::toString() const
{
    return u"mxc://%1/%2"_s.arg(serverName, mediaId);
}
