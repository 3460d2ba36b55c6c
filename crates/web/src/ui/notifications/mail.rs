//! Notification emails worded from the catalogues, in the recipient's language: a
//! subject, a plain text body and an HTML body, each with the link to the record.

use rapport_app::notifications::mail::{Composed, Email};

use super::super::i18n::{L, Lang};
use super::words;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The [`rapport_app::notifications::mail::Composer`] this server installs.
pub fn compose(email: &Email<'_>) -> Composed {
    let l = L::new(email.language.and_then(Lang::parse).unwrap_or(Lang::En));
    let summary = words(&l, email.notification);
    let greeting = l.args("email-greeting", &[("name", email.recipient_name)]);
    let open = l.t("email-open");
    let footer = l.t("email-footer");
    let subject = l.args("email-subject", &[("summary", &summary)]);
    let link = email.link.clone().unwrap_or_default();
    let text = if link.is_empty() {
        format!("{greeting}\n\n{summary}\n\n-- \n{footer}\n")
    } else {
        format!("{greeting}\n\n{summary}\n\n{open}: {link}\n\n-- \n{footer}\n")
    };
    let button = if link.is_empty() {
        String::new()
    } else {
        format!("<p><a href=\"{}\">{}</a></p>", escape(&link), escape(&open))
    };
    let html = format!(
        "<!doctype html><html lang=\"{}\"><body><p>{}</p><p><strong>{}</strong></p>{button}<hr><p style=\"color:#667085;font-size:small\">{}</p></body></html>",
        l.code(),
        escape(&greeting),
        escape(&summary),
        escape(&footer)
    );
    Composed { subject, text, html }
}
