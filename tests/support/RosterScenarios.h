#pragma once

class Account;
class TestUser;

// Scenarios that the engine meets alike whether the others are on Alice's server or on another one
// (tst_engine_integration, tst_federation_integration). Each checks with QTest's macros: the calling test function
// returns when QTest::currentTestFailed() after it.

// Bob, already on Alice's roster, goes online, then away with a status: Alice's roster shows each, and when he was
// last active as an absolute time.
void aliceSeesBobGoOnlineThenAwayWithAStatus(const Account &alice, TestUser &bob);

// Alice invites Bob and Carol to a small room: Carol is on Alice's roster from her invitation, with her name once
// she joins and sets it, and gone once she leaves; Bob, sharing two rooms with Alice, is listed once throughout.
void carolAppearsWhenSheJoinsAndDisappearsWhenSheLeaves(const Account &alice, TestUser &aliceHttp, TestUser &bob,
                                                        TestUser &carol);
