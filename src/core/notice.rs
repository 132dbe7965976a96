//! What the page tells the user beside a panel: one typed message for
//! every workflow (a listing's count, why nothing was loaded), so the shell
//! renders them all alike.

/// How a notice reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// Something worked.
    Ok,
    /// Something failed or cannot be done; the text says why.
    Error,
}

/// Something the user can do about a notice, offered beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeAction {
    /// Move the focus to the credentials paste box.
    PasteCredentials,
}

/// One message for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// How it reads.
    pub kind: NoticeKind,
    /// The sentence shown.
    pub text: String,
    /// What the user can do about it, if the page offers something.
    pub action: Option<NoticeAction>,
}

impl Notice {
    /// A notice that something worked.
    pub fn ok(text: impl Into<String>) -> Self {
        Self {
            kind: NoticeKind::Ok,
            text: text.into(),
            action: None,
        }
    }

    /// A notice that something failed, and why.
    pub fn error(text: impl Into<String>) -> Self {
        Self {
            kind: NoticeKind::Error,
            text: text.into(),
            action: None,
        }
    }

    /// Whether it reports a failure.
    pub fn is_error(&self) -> bool {
        self.kind == NoticeKind::Error
    }
}
