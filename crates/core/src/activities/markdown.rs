//! Activity bodies are Markdown; this renders the small part of it notes need (paragraphs,
//! line breaks, headings, lists, quotes, code, emphasis, links) to HTML that is safe to put
//! in a page. Safety comes first by construction: every character of the source is
//! escaped before any tag of ours is added, so raw HTML in a body shows as text, and a
//! link keeps only an http, https or mailto address.

/// Escapes text for an HTML element or a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[derive(PartialEq, Clone, Copy)]
enum Block {
    None,
    Paragraph,
    Bullets,
    Numbers,
    Quote,
    Code,
}

fn close(block: Block, out: &mut String) {
    out.push_str(match block {
        Block::None => "",
        Block::Paragraph => "</p>\n",
        Block::Bullets => "</ul>\n",
        Block::Numbers => "</ol>\n",
        Block::Quote => "</blockquote>\n",
        Block::Code => "</code></pre>\n",
    });
}

fn numbered(line: &str) -> Option<&str> {
    let digits = line.find(|c: char| !c.is_ascii_digit())?;
    (digits > 0 && digits < 10).then_some(())?;
    line[digits..].strip_prefix(". ")
}

/// Renders Markdown to safe HTML.
pub fn render(source: &str) -> String {
    let mut out = String::new();
    let mut block = Block::None;
    for line in source.lines() {
        if block == Block::Code {
            if line.trim_start().starts_with("```") {
                close(block, &mut out);
                block = Block::None;
            } else {
                out.push_str(&escape(line));
                out.push('\n');
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            close(block, &mut out);
            out.push_str("<pre><code>");
            block = Block::Code;
            continue;
        }
        if trimmed.is_empty() {
            close(block, &mut out);
            block = Block::None;
            continue;
        }
        let level = trimmed.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&level) && trimmed[level..].starts_with(' ') {
            close(block, &mut out);
            block = Block::None;
            // Headings in a note sit under the page's own, so they start at h3.
            let tag = (level + 2).min(6);
            out.push_str(&format!("<h{tag}>{}</h{tag}>\n", inline(trimmed[level..].trim())));
            continue;
        }
        let (wanted, text) = if let Some(rest) = trimmed.strip_prefix("- ").or_else(|| trimmed.strip_prefix("* ")) {
            (Block::Bullets, rest)
        } else if let Some(rest) = numbered(trimmed) {
            (Block::Numbers, rest)
        } else if let Some(rest) = trimmed.strip_prefix('>') {
            (Block::Quote, rest.trim_start())
        } else {
            (Block::Paragraph, trimmed)
        };
        if wanted != block {
            close(block, &mut out);
            out.push_str(match wanted {
                Block::Bullets => "<ul>\n",
                Block::Numbers => "<ol>\n",
                Block::Quote => "<blockquote>",
                _ => "<p>",
            });
            block = wanted;
        } else if matches!(block, Block::Paragraph | Block::Quote) {
            out.push_str("<br>\n");
        }
        match block {
            Block::Bullets | Block::Numbers => out.push_str(&format!("<li>{}</li>\n", inline(text))),
            _ => out.push_str(&inline(text)),
        }
    }
    close(block, &mut out);
    out
}

fn safe_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Code spans, links, bold and italics within one line; everything else escaped.
fn inline(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('`')
            && let Some(end) = after.find('`')
        {
            out.push_str(&format!("<code>{}</code>", escape(&after[..end])));
            rest = &after[end + 1..];
            continue;
        }
        if let Some(after) = rest.strip_prefix('[')
            && let Some(close) = after.find("](")
            && let Some(end) = after[close + 2..].find(')')
        {
            let label = &after[..close];
            let url = &after[close + 2..close + 2 + end];
            if safe_url(url) {
                out.push_str(&format!(
                    "<a href=\"{}\" rel=\"nofollow noopener noreferrer\">{}</a>",
                    escape(url),
                    emphasis(label)
                ));
            } else {
                out.push_str(&emphasis(label));
            }
            rest = &after[close + 3 + end..];
            continue;
        }
        let next = rest.char_indices().skip(1).find(|(_, c)| *c == '`' || *c == '[').map_or(rest.len(), |(i, _)| i);
        out.push_str(&emphasis(&rest[..next]));
        rest = &rest[next..];
    }
    out
}

fn emphasis(text: &str) -> String {
    let escaped = escape(text);
    let strong = wrap(&escaped, "**", "strong");
    wrap(&strong, "*", "em")
}

/// Wraps text between pairs of `mark` in `tag`; an unpaired mark stays as it is.
fn wrap(text: &str, mark: &str, tag: &str) -> String {
    let parts: Vec<&str> = text.split(mark).collect();
    if parts.len() < 3 {
        return text.to_string();
    }
    let mut out = String::new();
    let pairs = (parts.len() - 1) / 2 * 2;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            if i <= pairs {
                out.push_str(&if i % 2 == 1 { format!("<{tag}>") } else { format!("</{tag}>") });
            } else {
                out.push_str(mark);
            }
        }
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn raw_html_and_scripts_show_as_text() {
        let html = render("<script>alert(1)</script>\n<img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
    }

    #[test]
    fn only_web_and_mail_links_become_links() {
        let html = render("[ok](https://example.com/a?b=1&c=2) [bad](javascript:alert(1)) [x](\"onmouseover=1)");
        assert!(html.contains("<a href=\"https://example.com/a?b=1&amp;c=2\""), "{html}");
        assert!(!html.contains("javascript:alert(1)\""), "{html}");
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(!html.contains("href=\"&quot;"), "{html}");
    }

    #[test]
    fn notes_keep_their_shape() {
        let html = render("# Agreed\nWe **agreed** on *price*.\nNext line\n\n- one\n- `two`\n\n1. first\n> quoted");
        assert_eq!(
            html,
            "<h3>Agreed</h3>\n<p>We <strong>agreed</strong> on <em>price</em>.<br>\nNext line</p>\n\
             <ul>\n<li>one</li>\n<li><code>two</code></li>\n</ul>\n<ol>\n<li>first</li>\n</ol>\n\
             <blockquote>quoted</blockquote>\n"
        );
    }
}
