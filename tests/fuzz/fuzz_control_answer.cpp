// What `presently --get/--roster/--presence` prints for an answer line from the control socket, on arbitrary
// bytes (the first chooses the command and the table; the rest is the line). Text meant for a terminal — the
// roster table and an error — carries no control character but its line ends, so an answer cannot smuggle
// escape sequences to the terminal; JSON for scripts is JSON again.
#include "control/ControlClient.h"

#include <QJsonDocument>

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace {

// A fixed clock: the "last active" column must not depend on when the input runs.
constexpr qint64 nowMs = 1'700'000'000'000;

void check(bool condition, const char *what, const QByteArray &text)
{
    if (condition)
        return;
    std::fprintf(stderr, "%s:\n%s\n", what, text.constData());
    __builtin_trap();
}

bool isPrintable(const QByteArray &terminalText)
{
    const QString text = QString::fromUtf8(terminalText);
    return std::none_of(text.cbegin(), text.cend(), [](QChar character) {
        return character != u'\n' && character.category() == QChar::Other_Control;
    });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return -1;
    using ControlProtocol::Command;
    constexpr Command commands[] = {Command::Get, Command::Roster, Command::Set, Command::Show};
    const Command command = commands[data[0] % std::size(commands)];
    const bool asTable = data[0] & 0x80;
    const QByteArray answer(reinterpret_cast<const char *>(data + 1), static_cast<qsizetype>(size - 1));

    const ControlClient::Output output = ControlClient::answerOutput(command, answer, asTable, nowMs);
    check(isPrintable(output.standardError), "a control character reaches stderr", output.standardError);
    if (command == Command::Roster && asTable)
        check(isPrintable(output.standardOutput), "a control character reaches the roster table",
              output.standardOutput);
    else if (!output.standardOutput.isEmpty())
        check(!QJsonDocument::fromJson(output.standardOutput).isNull(), "stdout is not JSON", output.standardOutput);
    check((output.exitCode == ControlClient::InstanceError) == !output.standardError.isEmpty(),
          "an error without InstanceError, or the other way", output.standardError);
    return 0;
}
