//! A [`Notice`] in the page: one paragraph, styled by its kind.

use leptos::prelude::*;

use super::browser::focus;
use crate::core::notice::{Notice, NoticeAction, NoticeKind};

/// The notice's paragraph (`notice notice--ok` or `notice notice--error`),
/// with its action's button when it offers one.
pub fn notice_view(notice: Notice) -> impl IntoView {
    let class = match notice.kind {
        NoticeKind::Ok => "notice notice--ok",
        NoticeKind::Error => "notice notice--error",
    };
    let action = notice.action.map(|action| match action {
        NoticeAction::PasteCredentials => view! {
            " "
            <button type="button" class="button button--small" on:click=|_| focus("credentialsPaste")>
                "Paste credentials"
            </button>
        },
    });
    view! { <p class=class>{notice.text}{action}</p> }
}
