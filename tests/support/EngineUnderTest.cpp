#include "EngineUnderTest.h"

#include "session/Account.h"

#include <QAbstractItemModelTester>

std::unique_ptr<Account> startEngine(const LoginSession &session, int longPollMs)
{
    auto account = std::make_unique<Account>();
    new QAbstractItemModelTester(account->contacts(), QAbstractItemModelTester::FailureReportingMode::QtTest,
                                 account.get());
    new QAbstractItemModelTester(account->incomingInvitations(), QAbstractItemModelTester::FailureReportingMode::QtTest,
                                 account.get());
    new QAbstractItemModelTester(account->directoryResults(), QAbstractItemModelTester::FailureReportingMode::QtTest,
                                 account.get());
    account->syncLoop()->setServerTimeoutMs(longPollMs);
    account->signIn(session);
    return account;
}

Contact contactOf(const Account &account, const QString &userId)
{
    const int row = account.contacts()->rowOf(userId);
    return row >= 0 ? account.contacts()->contactAt(row) : Contact{};
}
