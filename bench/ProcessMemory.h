#pragma once

#include <QByteArrayView>

// The benchmark's memory figures of this process, in MiB (the unit peak_rss_mb has always been in).
namespace ProcessMemory {

// A field of /proc/self/status: "VmRSS" is the resident memory now, "VmHWM" its peak so far.
double statusMb(QByteArrayView field);
// What the heap has handed out and not had back (glibc's mallinfo2(): arena chunks and mmapped blocks in use).
double heapInUseMb();
// Hands the heap's free pages back to the system (glibc's malloc_trim(0)), so that resident memory counts what
// is in use rather than what the allocator keeps for later. The app does not do this; there the pages are
// reused by later allocations, or given back as glibc trims the top of its heaps.
void returnFreeHeap();

} // namespace ProcessMemory
