// RosterAccountData: reading im.presently.roster tolerates wrong types (another client, or a later version, wrote
// it), and every write changes one entry and keeps all else.
#include "roster/RosterAccountData.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {
QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(text).object();
}
} // namespace

class RosterAccountDataTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void aWellFormedContentReadsWhole()
    {
        const RosterAccountData data = RosterAccountData::read(json(R"({"version":1,"hidden":["@s:x"],
            "groups":{"w":{"name":"Work","order":0.5},"f":{"name":"Family","order":0.25},"z":{"name":"Zoo"}},
            "membership":{"@b:x":["w","f"],"@c:x":["w"]},"nicknames":{"@b:x":"Bobby"}})"));
        QCOMPARE(data.hidden, QStringList{u"@s:x"_s});
        QCOMPARE(data.groups.size(), 3);
        QCOMPARE(data.groups.at(0), (RosterAccountData::Group{u"f"_s, u"Family"_s, 0.25}));
        QCOMPARE(data.groups.at(1).name, u"Work"_s);
        QCOMPARE(data.groups.at(2).name, u"Zoo"_s);  // no order: after the ordered ones
        QCOMPARE(data.membership.value(u"@b:x"_s), (QStringList{u"f"_s, u"w"_s}));
        QCOMPARE(data.membership.value(u"@c:x"_s), QStringList{u"w"_s});
        QCOMPARE(data.nicknames.value(u"@b:x"_s), u"Bobby"_s);
    }

    void wrongTypesAreSkippedNotFatal()
    {
        const RosterAccountData data = RosterAccountData::read(json(R"({"hidden":{"@s:x":1},
            "groups":{"w":{"name":"Work","order":"first"},"n":{"name":7},"e":{"name":"  "},"a":[1],"":{"name":"Blank id"}},
            "membership":{"@b:x":["w","gone",3,"w","n"],"@c:x":"w","not-a-user":["w"],"@d:x":[],"@e:x":["e"]},
            "nicknames":{"@b:x":7,"@c:x":"  Cee\nline  ","bad":"Bad","@e:x":""}})"));
        QVERIFY(data.hidden.isEmpty());
        QCOMPARE(data.groups.size(), 1);
        QCOMPARE(data.groups.at(0).order, 2.0);
        QCOMPARE(data.membership.size(), 1);
        QCOMPARE(data.membership.value(u"@b:x"_s), QStringList{u"w"_s});
        QCOMPARE(data.nicknames.size(), 1);
        QCOMPARE(data.nicknames.value(u"@c:x"_s), u"Cee line"_s);
        const RosterAccountData nothing = RosterAccountData::read(json(R"({"groups":[],"membership":7,"nicknames":null})"));
        QVERIFY(nothing.groups.isEmpty() && nothing.membership.isEmpty() && nothing.nicknames.isEmpty());
    }

    void writesKeepWhatTheyDoNotChange()
    {
        const QJsonObject start = json(R"({"hidden":["@s:x"],"future":{"k":[true]},
            "groups":{"w":{"name":"Work","order":0.5,"colour":"red"}},
            "membership":{"@b:x":["w"],"@c:x":["w","unknown"]},"nicknames":{"@c:x":"Cee"}})");

        QJsonObject moved = RosterAccountData::withMembership(start, u"@b:x"_s, {u"w"_s, u"f"_s, u"w"_s});
        QCOMPARE(moved.value("membership"_L1).toObject().value("@b:x"_L1).toArray(), (QJsonArray{u"f"_s, u"w"_s}));
        QCOMPARE(moved.value("membership"_L1).toObject().value("@c:x"_L1).toArray(), (QJsonArray{u"w"_s, u"unknown"_s}));
        QCOMPARE(moved.value("future"_L1), start.value("future"_L1));
        QCOMPARE(moved.value("version"_L1).toInt(), 1);
        moved = RosterAccountData::withMembership(moved, u"@b:x"_s, {});
        QVERIFY(!moved.value("membership"_L1).toObject().contains("@b:x"_L1));

        QJsonObject named = RosterAccountData::withNickname(start, u"@b:x"_s, u" Bobby "_s);
        QCOMPARE(named.value("nicknames"_L1).toObject().value("@b:x"_L1).toString(), u"Bobby"_s);
        QCOMPARE(named.value("nicknames"_L1).toObject().value("@c:x"_L1).toString(), u"Cee"_s);
        named = RosterAccountData::withNickname(named, u"@c:x"_s, u"  "_s);
        QVERIFY(!named.value("nicknames"_L1).toObject().contains("@c:x"_L1));
        QCOMPARE(named.value("hidden"_L1), start.value("hidden"_L1));

        const QJsonObject renamed = RosterAccountData::withGroup(start, u"w"_s, u"Office"_s);
        const QJsonObject work = renamed.value("groups"_L1).toObject().value("w"_L1).toObject();
        QCOMPARE(work.value("name"_L1).toString(), u"Office"_s);
        QCOMPARE(work.value("colour"_L1).toString(), u"red"_s);
        QCOMPARE(work.value("order"_L1).toDouble(), 0.5);
        QCOMPARE(renamed.value("membership"_L1), start.value("membership"_L1));

        const QString id = RosterAccountData::newGroupId(start);
        QVERIFY(!id.isEmpty() && id != u"w"_s);
        const RosterAccountData added = RosterAccountData::read(RosterAccountData::withGroup(start, id, u"Family"_s));
        QCOMPARE(added.groups.size(), 2);
        QCOMPARE(added.groups.at(1).name, u"Family"_s);
    }

    // A removed group leaves everyone's groups; who was only in it is back in the default group, other ids stay.
    void aRemovedGroupLeavesItsMembersInTheirOtherGroups()
    {
        const QJsonObject start = json(R"({"future":1,"groups":{"w":{"name":"Work"},"f":{"name":"Family"}},
            "membership":{"@b:x":["w"],"@c:x":["w","f","unknown"],"@d:x":["f"]},"nicknames":{"@c:x":"Cee"}})");
        const QJsonObject removed = RosterAccountData::withoutGroup(start, u"w"_s);
        QCOMPARE(removed.value("groups"_L1).toObject().keys(), QStringList{u"f"_s});
        QCOMPARE(removed.value("membership"_L1).toObject(),
                 json(R"({"@c:x":["f","unknown"],"@d:x":["f"]})"));
        QCOMPARE(removed.value("future"_L1).toInt(), 1);
        QCOMPARE(removed.value("nicknames"_L1), start.value("nicknames"_L1));
        const RosterAccountData read = RosterAccountData::read(removed);
        QCOMPARE(read.groups.size(), 1);
        QVERIFY(!read.membership.contains(u"@b:x"_s));
        QCOMPARE(RosterAccountData::withoutGroup(removed, u"w"_s), removed);  // again: nothing more to do
    }

    // A later version's own version number is not lowered by a write.
    void aWriteKeepsTheVersionItFound()
    {
        const QJsonObject later = RosterAccountData::withNickname(json(R"({"version":2})"), u"@b:x"_s, u"B"_s);
        QCOMPARE(later.value("version"_L1).toInt(), 2);
    }
};

QTEST_GUILESS_MAIN(RosterAccountDataTest)
#include "tst_rosteraccountdata.moc"
