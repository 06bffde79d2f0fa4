#pragma once

#include "roster/ContactListModel.h"
#include "matrix/MatrixTypes.h"

#include <memory>

class Account;

// The engine under test: an Account signed in with `session`, its contact model watched by a
// QAbstractItemModelTester that fails the running test on any inconsistency, its long-poll `longPollMs`.
std::unique_ptr<Account> startEngine(const LoginSession &session, int longPollMs);

// The account's roster row for `userId`, or an empty Contact when it has none.
Contact contactOf(const Account &account, const QString &userId);
