#include "roster/ContactOrder.h"

ContactOrder::ContactOrder()
{
    m_collator.setCaseSensitivity(Qt::CaseInsensitive);
    m_collator.setNumericMode(true);
}

bool ContactOrder::operator()(const Key &left, const Key &right) const
{
    const int leftRank = presenceRank(left.presence);
    const int rightRank = presenceRank(right.presence);
    if (leftRank != rightRank)
        return leftRank < rightRank;
    const int byName = m_collator.compare(left.name, right.name);
    if (byName != 0)
        return byName < 0;
    return left.userId < right.userId;
}
