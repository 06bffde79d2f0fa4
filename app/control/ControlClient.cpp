#include "control/ControlClient.h"

#include "roster/ContactOrder.h"
#include "roster/LastActive.h"

#include <QDateTime>
#include <QJsonDocument>

#include <algorithm>
#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {
// How long connecting may take; a listening instance accepts at once (the kernel queues the connection).
constexpr int connectTimeoutMs = 1000;

void print(std::FILE *stream, const QByteArray &bytes)
{
    std::fwrite(bytes.constData(), 1, static_cast<std::size_t>(bytes.size()), stream);
    std::fflush(stream);  // a status bar reads --watch through a pipe, line by line
}

QByteArray lineOf(const QString &text)
{
    return text.toUtf8() + '\n';
}

void printLine(std::FILE *stream, const QString &text)
{
    print(stream, lineOf(text));
}

QString printable(QString text)
{
    for (QChar &character : text)
        if (character.category() == QChar::Other_Control)
            character = QChar::ReplacementCharacter;
    return text;
}

Presence presenceOf(const QJsonObject &contact)
{
    return presenceFromName(contact.value("presence"_L1).toString()).value_or(Presence::Unknown);
}

QString nameOf(const QJsonObject &contact)
{
    const QString displayName = contact.value("display_name"_L1).toString();
    return displayName.isEmpty() ? contact.value("user_id"_L1).toString() : displayName;
}

ContactOrder::Key orderKeyOf(const QJsonObject &contact)
{
    return {presenceOf(contact), nameOf(contact), contact.value("user_id"_L1).toString()};
}
} // namespace

ControlClient::ControlClient(const QString &socketPath)
    : m_socketPath(socketPath)
{
}

int ControlClient::run(const ControlProtocol::Request &request, bool asTable)
{
    using ControlProtocol::Command;
    if (!sendToInstance(request)) {
        printLine(stderr, tr("Presently is not running (no instance at %1).").arg(m_socketPath));
        return NotRunning;
    }
    if (request.command == Command::Watch)
        return streamEvents();

    const std::optional<QByteArray> reply = readLine(replyTimeoutMs);
    if (!reply) {
        printLine(stderr, tr("Presently did not answer."));
        return InstanceError;
    }
    const Output output = answerOutput(request.command, *reply, asTable, QDateTime::currentMSecsSinceEpoch());
    print(stdout, output.standardOutput);
    print(stderr, output.standardError);
    return output.exitCode;
}

ControlClient::Output ControlClient::answerOutput(ControlProtocol::Command command, const QByteArray &answer,
                                                  bool asTable, qint64 nowMs)
{
    using ControlProtocol::Command;
    const QJsonDocument document = QJsonDocument::fromJson(answer);
    if (const QJsonValue error = document.object().value("error"_L1); error.isString())
        return {{}, lineOf(tr("Presently: %1").arg(printable(error.toString()))), InstanceError};
    if (command == Command::Roster && asTable)
        return {lineOf(rosterTable(document.array(), nowMs)), {}, Success};
    if (command == Command::Get || command == Command::Roster)
        return {document.toJson(QJsonDocument::Indented), {}, Success};
    return {};
}

bool ControlClient::showRunningInstance()
{
    return sendToInstance(ControlProtocol::Request{ControlProtocol::Command::Show, {}, {}, {}})
        && readLine(replyTimeoutMs).has_value();
}

bool ControlClient::sendToInstance(const ControlProtocol::Request &request)
{
    m_socket.connectToServer(m_socketPath);
    if (!m_socket.waitForConnected(connectTimeoutMs))
        return false;
    m_socket.write(ControlProtocol::requestLine(request));
    m_socket.flush();
    return true;
}

std::optional<QByteArray> ControlClient::readLine(int timeoutMs)
{
    while (!m_socket.canReadLine())
        if (!m_socket.waitForReadyRead(timeoutMs))
            return std::nullopt;
    return m_socket.readLine();
}

int ControlClient::streamEvents()
{
    while (const std::optional<QByteArray> event = readLine(-1))
        print(stdout, *event);
    printLine(stderr, tr("Presently quit."));
    return NotRunning;
}

QString ControlClient::rosterTable(const QJsonArray &roster, qint64 nowMs)
{
    QList<QJsonObject> contacts;
    for (const QJsonValue &contact : roster)
        contacts.append(contact.toObject());
    const ContactOrder order;  // the window's order (RosterFilterModel)
    std::sort(contacts.begin(), contacts.end(), [&order](const QJsonObject &left, const QJsonObject &right) {
        return order(orderKeyOf(left), orderKeyOf(right));
    });

    QList<QStringList> rows{{tr("PRESENCE"), tr("NAME"), tr("USER"), tr("LAST ACTIVE"), tr("STATUS")}};
    for (const QJsonObject &contact : std::as_const(contacts)) {
        // toInteger(), not a cast of toDouble(): a number beyond qint64 (1e300) reads as unknown, where the cast
        // was undefined behaviour (found by tests/fuzz/fuzz_control_answer).
        const qint64 lastActiveAtMs = contact.value("last_active_ts"_L1).toInteger(0);
        // A presence invitation in either direction says so where the presence would be.
        const QString invitation = contact.value("invitation"_L1).toString();
        const QString presence = invitation == "received"_L1 ? tr("Invites you")
                               : invitation == "sent"_L1     ? tr("Invited")
                                                             : presenceLabel(presenceOf(contact));
        rows.append({presence, printable(nameOf(contact)),
                     printable(contact.value("user_id"_L1).toString()),
                     describeLastActive(contact.value("currently_active"_L1).toBool(), lastActiveAtMs, nowMs),
                     printable(contact.value("status_msg"_L1).toString())});
    }
    // Every column but the last is padded to its widest cell.
    QList<qsizetype> widths(rows.first().size() - 1, 0);
    for (const QStringList &row : std::as_const(rows))
        for (qsizetype column = 0; column < widths.size(); ++column)
            widths[column] = qMax(widths.at(column), row.at(column).size());
    QStringList lines;
    for (const QStringList &row : std::as_const(rows)) {
        QString line;
        for (qsizetype column = 0; column < widths.size(); ++column)
            line += row.at(column).leftJustified(widths.at(column) + 2);
        lines.append((line + row.last()).trimmed());  // no padding after an empty status
    }
    return lines.join(u'\n');
}
