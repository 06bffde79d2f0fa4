#pragma once

#include <QDialog>

class Account;
class AvatarCropper;
class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSlider;

// Change your display name and avatar, and whether others see your local time (your time zone in the m.tz profile
// field; off until you turn it on). A picked image is cropped to a square here, scaled to at most
// 512 px, uploaded with a progress bar and then set as avatar_url. The dialog closes when the server's
// profile shows the change (Account::ownProfileChanged), and shows the error when it refuses.
class ProfileDialog : public QDialog {
    Q_OBJECT
public:
    // Synapse's limit for display names (synapse.handlers.profile.MAX_DISPLAYNAME_LEN).
    static constexpr int maxDisplayNameLength = 256;
    // Images larger than this on any side are refused before decoding.
    static constexpr int maxSourceSide = 8192;

    explicit ProfileDialog(Account *account, QWidget *parent = nullptr);

    // Loads an image from a file (as the file dialog does); false with a message for anything unusable.
    bool loadImage(const QString &path);

    QLineEdit *nameField() const { return m_name; }
    QLabel *messageLabel() const { return m_message; }
    QPushButton *removeAvatarButton() const { return m_removeAvatar; }
    QCheckBox *shareTimeZoneBox() const { return m_shareTimeZone; }

public Q_SLOTS:
    void accept() override;

private:
    void chooseImage();
    void showMessage(const QString &text);
    void finishIfDone();
    void showTimeZoneSharing();

    Account *m_account;
    QLineEdit *m_name;
    AvatarCropper *m_cropper;
    QSlider *m_zoom;
    QPushButton *m_chooseImage;
    QPushButton *m_removeAvatar;
    QCheckBox *m_shareTimeZone;
    QProgressBar *m_progress;
    QLabel *m_message;
    QDialogButtonBox *m_buttons;
    bool m_awaitingName = false;
    bool m_awaitingAvatar = false;
    bool m_awaitingTimeZone = false;
    QString m_expectedName;
    QString m_previousAvatar;
};
