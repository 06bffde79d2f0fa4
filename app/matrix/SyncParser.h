#pragma once

#include "matrix/SyncBatch.h"

#include <QByteArrayView>

// Parses a /sync response body into a SyncBatch. A pure function: no Qt event loop, no globals, safe on any
// thread and cheap to fuzz. Structurally malformed JSON (bad syntax, invalid UTF-8, nesting too deep, a
// top level that is not an object) yields an error. A single event with wrong types or missing required
// fields is skipped and counted in SyncBatch::skippedEvents; the rest of the batch is kept.
SyncParseResult parseSync(QByteArrayView body);
