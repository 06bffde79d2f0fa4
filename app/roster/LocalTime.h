#pragma once

#include <QString>

// "14:05 their time": the wall-clock time at `nowMs` in the IANA zone a person publishes (m.tz), in the locale's
// short time format. Empty for an empty or unknown zone.
QString describeLocalTime(const QString &zoneName, qint64 nowMs);
