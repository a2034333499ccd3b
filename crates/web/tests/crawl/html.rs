//! A little HTML: tags and their attributes, the way the templates write them; the
//! links and forms of a page.

#[derive(Debug, Clone)]
pub(crate) struct Tag {
    /// Lower case; `/form` for a closing tag.
    pub(crate) name: String,
    pub(crate) attrs: Vec<(String, String)>,
    /// Byte offset just past the tag's `>`.
    pub(crate) end: usize,
}

impl Tag {
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.attrs.iter().any(|(n, _)| n == name)
    }
}

/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;` and numeric references decoded.
pub(crate) fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(semi) = rest.find(';').filter(|i| *i <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse::<u32>))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every tag of `html`, in order, with its attributes decoded. Comments are skipped.
pub(crate) fn tags(html: &str) -> Vec<Tag> {
    let bytes = html.as_bytes();
    let mut out = vec![];
    let mut i = 0;
    while let Some(at) = html[i..].find('<') {
        i += at + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map_or(html.len(), |e| i + e + 3);
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i == start {
            continue; // `<!DOCTYPE`, a stray `<`
        }
        let mut name = html[start..i].to_ascii_lowercase();
        if closing {
            name.insert(0, '/');
        }
        let mut attrs = vec![];
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                i += 1;
                break;
            }
            let start = i;
            while i < bytes.len() && !b" \t\r\n=>/".contains(&bytes[i]) {
                i += 1;
            }
            let attr = html[start..i].to_ascii_lowercase();
            let mut value = String::new();
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                match bytes.get(i) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        let end = html[i + 1..]
                            .find(char::from(q))
                            .map_or(html.len(), |e| i + 1 + e);
                        value = unescape(&html[i + 1..end]);
                        i = end + 1;
                    }
                    _ => {
                        let start = i;
                        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>'
                        {
                            i += 1;
                        }
                        value = unescape(&html[start..i]);
                    }
                }
            }
            if !attr.is_empty() {
                attrs.push((attr, value));
            }
        }
        out.push(Tag {
            name,
            attrs,
            end: i.min(html.len()),
        });
    }
    out
}

/// One form of a page: its method (lower case), its target as written, its fields with
/// their default values (what submitting it untouched sends).
#[derive(Debug, Clone)]
pub(crate) struct Form {
    pub(crate) method: String,
    pub(crate) action: Option<String>,
    pub(crate) fields: Vec<(String, String)>,
}

/// What a page points at.
#[derive(Debug, Default)]
pub(crate) struct Outlinks {
    /// `<a href>`, as written.
    pub(crate) links: Vec<String>,
    /// Stylesheets, scripts, icons and images, as written.
    pub(crate) resources: Vec<String>,
    pub(crate) forms: Vec<Form>,
}

pub(crate) fn outlinks(html: &str) -> Outlinks {
    let tags = tags(html);
    let mut out = Outlinks::default();
    let mut form: Option<Form> = None;
    // The select being read: its name, and its first and its selected option.
    let mut select: Option<(String, Option<String>, Option<String>)> = None;
    for (n, tag) in tags.iter().enumerate() {
        match tag.name.as_str() {
            "a" => out.links.extend(tag.attr("href").map(str::to_string)),
            "link" => out.resources.extend(tag.attr("href").map(str::to_string)),
            "script" | "img" => out.resources.extend(tag.attr("src").map(str::to_string)),
            "form" => {
                form = Some(Form {
                    method: tag.attr("method").unwrap_or("get").to_ascii_lowercase(),
                    action: tag.attr("action").map(str::to_string),
                    fields: vec![],
                });
            }
            "/form" => out.forms.extend(form.take()),
            "input" => {
                let (Some(form), Some(name)) = (form.as_mut(), tag.attr("name")) else {
                    continue;
                };
                let kind = tag.attr("type").unwrap_or("text").to_ascii_lowercase();
                let sent = match kind.as_str() {
                    "submit" | "button" | "image" | "reset" | "file" => false,
                    "checkbox" | "radio" => tag.has("checked"),
                    _ => true,
                };
                if sent {
                    let default = if matches!(kind.as_str(), "checkbox" | "radio") {
                        "on"
                    } else {
                        ""
                    };
                    let value = tag.attr("value").unwrap_or(default);
                    form.fields.push((name.to_string(), value.to_string()));
                }
            }
            "textarea" => {
                let (Some(form), Some(name)) = (form.as_mut(), tag.attr("name")) else {
                    continue;
                };
                let text = html[tag.end..]
                    .split("</textarea>")
                    .next()
                    .unwrap_or_default();
                form.fields.push((name.to_string(), unescape(text)));
            }
            "select" => {
                select = tag.attr("name").map(|n| (n.to_string(), None, None));
            }
            "option" => {
                if let Some((_, first, selected)) = select.as_mut() {
                    let value = tag.attr("value").map(str::to_string).unwrap_or_else(|| {
                        // No value: the option's text (up to the next tag).
                        let end = tags.get(n + 1).map_or(html.len(), |t| {
                            html[..t.end].rfind('<').unwrap_or(tag.end).max(tag.end)
                        });
                        unescape(html[tag.end..end].trim())
                    });
                    if first.is_none() {
                        *first = Some(value.clone());
                    }
                    if tag.has("selected") && selected.is_none() {
                        *selected = Some(value);
                    }
                }
            }
            "/select" => {
                if let (Some(form), Some((name, first, selected))) = (form.as_mut(), select.take())
                {
                    if let Some(value) = selected.or(first) {
                        form.fields.push((name, value));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::*;

    #[test]
    fn links_and_forms_are_read_like_a_browser() {
        let html = r##"<!DOCTYPE html><html lang="zh-CN"><head>
    <link rel="stylesheet" href="/assets/app.css?v=1"><script src="/assets/app.js?v=1" defer></script></head>
    <body><a class="skip-link" href="#main">skip</a><a href="/customers?page=2&amp;sort=name">2</a>
    <!-- <a href="/commented-out"> -->
    <form method="get" action="/audit"><input name="actor" type="search" value="">
    <select name="action"><option value="">all</option><option value="customer.view" selected>view</option></select>
    <select name="outcome"><option value="">all</option><option value="denied">denied</option></select>
    <input type="checkbox" name="open"><input type="checkbox" name="mine" checked>
    <textarea name="note">a &amp; b</textarea><button type="submit" name="go">go</button></form>
    <form method="post" action="/logout"><input type="hidden" name="csrf" value="t0k"></form>
    <form><input name="q" value="x"></form>
    </body></html>"##;
        let out = outlinks(html);
        assert_eq!(out.links, ["#main", "/customers?page=2&sort=name"]);
        assert_eq!(out.resources, ["/assets/app.css?v=1", "/assets/app.js?v=1"]);
        assert_eq!(out.forms.len(), 3);
        let audit = &out.forms[0];
        assert_eq!(audit.method, "get");
        assert_eq!(
            audit.fields,
            [
                ("actor", ""),
                ("action", "customer.view"),
                ("outcome", ""),
                ("mine", "on"),
                ("note", "a & b"),
            ]
            .map(|(n, v)| (n.to_string(), v.to_string()))
        );
        assert_eq!(out.forms[1].method, "post");
        assert_eq!(
            out.forms[1].fields,
            [("csrf".to_string(), "t0k".to_string())]
        );
        assert_eq!(out.forms[2].method, "get");
        assert_eq!(out.forms[2].action, None);

        assert_eq!(
            form_encode(&[("actor", "王 丽"), ("customer_id", "a-b.c*d&e")]),
            "actor=%E7%8E%8B+%E4%B8%BD&customer_id=a-b.c*d%26e"
        );
        assert_eq!(resolve("/customers/x", "#top"), None);
        assert_eq!(
            resolve("/a/b?c=1", "?page=2#x").as_deref(),
            Some("/a/b?page=2")
        );
        assert_eq!(resolve("/a/b", "c/d").as_deref(), Some("/a/c/d"));
        assert_eq!(resolve("/", "http://dv.test/x?y").as_deref(), Some("/x?y"));
        assert_eq!(resolve("/", "//dv.test").as_deref(), Some("/"));
        assert_eq!(resolve("/", "https://example.com/x"), None);
        assert_eq!(resolve("/", "mailto:a@b.c"), None);
        assert_eq!(
            shape("/customers/01900000-0000-7000-8000-000000000000/edit"),
            "/customers/{id}/edit"
        );
        assert_eq!(shape("/customers?sort=name&page=3"), "/customers?page&sort");
        assert_eq!(
            shape("/audit/people/sales01?days=7"),
            "/audit/people/sales01?days"
        );
        assert_eq!(
            customer_detail("/customers/01900000-0000-7000-8000-000000000000"),
            Some("01900000-0000-7000-8000-000000000000")
        );
        assert_eq!(customer_detail("/customers/new"), None);

        assert!(matches!(
            post_target("/customers/0190/reveal"),
            Some((_, Need::Grant(Entity::Customer, Action::Reveal)))
        ));
        assert!(post_target("/customers/0190/delete").is_none());
        assert!(post_target("/customers//reveal").is_none());
    }
}
