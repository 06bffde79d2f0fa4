#include "ProcessMemory.h"

#include <QFile>

#include <malloc.h>

namespace ProcessMemory {

double statusMb(QByteArrayView field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    // Lines like "VmRSS:	  178512 kB".
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith(field) && line.mid(field.size()).startsWith(':'))
            return line.mid(field.size() + 1).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return 0;
}

double heapInUseMb()
{
    const struct mallinfo2 info = mallinfo2();
    return static_cast<double>(info.uordblks + info.hblkhd) / (1024.0 * 1024.0);
}

void returnFreeHeap()
{
    malloc_trim(0);
}

} // namespace ProcessMemory
