#include "dialogs/ProfileDialog.h"

#include "session/Account.h"
#include "media/AvatarCropper.h"

#include <QBuffer>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QStandardPaths>
#include <QTimeZone>

using namespace Qt::Literals::StringLiterals;

ProfileDialog::ProfileDialog(Account *account, QWidget *parent)
    : QDialog(parent)
    , m_account(account)
    , m_name(new QLineEdit(this))
    , m_cropper(new AvatarCropper(this))
    , m_zoom(new QSlider(Qt::Horizontal, this))
    , m_chooseImage(new QPushButton(tr("Choose image…"), this))
    , m_removeAvatar(new QPushButton(tr("Remove avatar"), this))
    , m_shareTimeZone(new QCheckBox(this))
    , m_progress(new QProgressBar(this))
    , m_message(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Your profile"));
    m_name->setText(account->ownProfile().displayName);
    m_name->setPlaceholderText(account->userId());
    m_name->setMaxLength(maxDisplayNameLength);
    m_zoom->setEnabled(false);
    m_zoom->setToolTip(tr("Size of the square"));
    m_progress->hide();
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->hide();
    m_removeAvatar->setEnabled(!account->ownProfile().avatarUrl.isEmpty());

    auto *imageButtons = new QHBoxLayout;
    imageButtons->addWidget(m_chooseImage);
    imageButtons->addWidget(m_removeAvatar);
    auto *form = new QFormLayout(this);
    form->addRow(tr("Display &name"), m_name);
    form->addRow(tr("Avatar"), m_cropper);
    form->addRow(tr("Crop"), m_zoom);
    form->addRow(imageButtons);
    form->addRow(tr("Local time"), m_shareTimeZone);
    form->addRow(m_progress);
    form->addRow(m_message);
    form->addRow(m_buttons);

    connect(m_chooseImage, &QPushButton::clicked, this, &ProfileDialog::chooseImage);
    connect(m_zoom, &QSlider::valueChanged, m_cropper, &AvatarCropper::setSelectionSize);
    connect(m_cropper, &AvatarCropper::selectionChanged, this, [this](const QRect &selection) {
        const QSignalBlocker blocker(m_zoom);
        m_zoom->setValue(selection.width());
    });
    connect(m_removeAvatar, &QPushButton::clicked, this, [this] {
        m_awaitingAvatar = true;
        m_previousAvatar = m_account->ownProfile().avatarUrl;
        m_buttons->setEnabled(false);
        m_account->removeOwnAvatar();
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ProfileDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(account, &Account::avatarUploadProgress, this, [this](qint64 sent, qint64 total) {
        if (total <= 0)
            return;
        m_progress->setMaximum(100);
        m_progress->setValue(static_cast<int>(sent * 100 / total));
    });
    connect(account, &Account::ownProfileChanged, this, &ProfileDialog::finishIfDone);
    showTimeZoneSharing();
    connect(account->timeZones(), &TimeZoneProfiles::supportChanged, this, &ProfileDialog::showTimeZoneSharing);
    connect(account->timeZones(), &TimeZoneProfiles::sharedZoneChanged, this, [this] {
        m_awaitingTimeZone = false;
        showTimeZoneSharing();
        finishIfDone();
    });
    connect(account, &Account::profileUpdateFailed, this, [this](const QString &message) {
        m_awaitingName = m_awaitingAvatar = m_awaitingTimeZone = false;
        m_buttons->setEnabled(true);
        m_progress->hide();
        showMessage(message);
    });
}

bool ProfileDialog::loadImage(const QString &path)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);
    reader.setAllocationLimit(256);  // MB: refuse decompression bombs outright
    const QSize declared = reader.size();
    if (!declared.isValid()) {
        showMessage(tr("This file is not an image Presently can read: %1").arg(reader.errorString()));
        return false;
    }
    if (declared.width() > maxSourceSide || declared.height() > maxSourceSide) {
        showMessage(tr("This image is too large (%1 × %2 pixels). Pick one at most %3 pixels on each side.")
                        .arg(declared.width()).arg(declared.height()).arg(maxSourceSide));
        return false;
    }
    const QImage image = reader.read();
    if (image.isNull()) {
        showMessage(tr("This image could not be read: %1").arg(reader.errorString()));
        return false;
    }
    m_cropper->setImage(image);
    const int side = qMin(image.width(), image.height());
    m_zoom->setRange(qMin(16, side), side);
    m_zoom->setValue(side);
    m_zoom->setEnabled(true);
    m_message->hide();
    return true;
}

void ProfileDialog::chooseImage()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Choose an avatar"), QStandardPaths::writableLocation(QStandardPaths::PicturesLocation),
        tr("Images (*.png *.jpg *.jpeg *.webp *.gif *.bmp)"));
    if (!path.isEmpty())
        loadImage(path);
}

void ProfileDialog::accept()
{
    const QString name = m_name->text().trimmed();
    m_awaitingName = name != m_account->ownProfile().displayName;
    m_awaitingAvatar = m_cropper->hasImage();
    const bool shareTimeZone = m_shareTimeZone->isChecked();
    m_awaitingTimeZone = m_shareTimeZone->isEnabled()
                         && shareTimeZone != !m_account->timeZones()->sharedZone().isEmpty();
    if (!m_awaitingName && !m_awaitingAvatar && !m_awaitingTimeZone) {
        QDialog::accept();
        return;
    }
    m_buttons->setEnabled(false);
    m_message->hide();
    if (m_awaitingName) {
        m_expectedName = name;
        m_account->setOwnDisplayName(name);
    }
    if (m_awaitingAvatar) {
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        m_cropper->croppedImage().save(&buffer, "PNG");
        m_previousAvatar = m_account->ownProfile().avatarUrl;
        m_progress->setRange(0, 0);
        m_progress->show();
        m_account->setOwnAvatar(png, u"image/png"_s);
    }
    if (m_awaitingTimeZone)
        m_account->timeZones()->setSharing(shareTimeZone);
}

void ProfileDialog::showTimeZoneSharing()
{
    const TimeZoneProfiles *timeZones = m_account->timeZones();
    const QString shared = timeZones->sharedZone();
    const QString system = QString::fromLatin1(QTimeZone::systemTimeZoneId());
    m_shareTimeZone->setText(tr("Show others my local time (%1)").arg(shared.isEmpty() ? system : shared));
    m_shareTimeZone->setChecked(!shared.isEmpty());
    m_shareTimeZone->setEnabled(timeZones->canShare());
    m_shareTimeZone->setToolTip(timeZones->canShare()
                                    ? tr("Your contacts see the time of day where you are, from your time zone.")
                                    : tr("Your server does not keep a time zone in profiles."));
}

void ProfileDialog::showMessage(const QString &text)
{
    m_message->setText(text);
    m_message->show();
}

void ProfileDialog::finishIfDone()
{
    const Profile profile = m_account->ownProfile();
    if (m_awaitingName && profile.displayName == m_expectedName)
        m_awaitingName = false;
    if (m_awaitingAvatar && profile.avatarUrl != m_previousAvatar)
        m_awaitingAvatar = false;
    m_removeAvatar->setEnabled(!profile.avatarUrl.isEmpty());
    if (!m_awaitingName && !m_awaitingAvatar && !m_awaitingTimeZone && !m_buttons->isEnabled()) {
        m_progress->hide();
        m_buttons->setEnabled(true);
        QDialog::accept();
    }
}
