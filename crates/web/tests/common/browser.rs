//! A browser played by hand over a [`TestApp`]'s router: a cookie jar, URL-encoded form
//! posts, and the CSRF token of the page's forms. Requests go through the very router
//! the API tests use, security headers included.

use super::TestApp;
use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use dealervault_demo::DEMO_PASSWORD;

/// The `Host` every request carries (the same-origin check compares `Origin` with it).
pub const HOST: &str = "dv.test";

/// One answer, with the body as text.
#[derive(Debug, Clone)]
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn header(&self, name: impl header::AsHeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Where a redirect points, or `""`.
    pub fn location(&self) -> &str {
        self.header(header::LOCATION).unwrap_or_default()
    }

    /// The CSRF token of the first form on the page.
    pub fn csrf(&self) -> String {
        let marker = r#"name="csrf" value=""#;
        let at = self
            .body
            .find(marker)
            .map(|i| i + marker.len())
            .expect("a form with a CSRF token");
        self.body[at..]
            .split('"')
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

/// Borrows owned form pairs for [`Browser::post`].
pub fn pairs<'a>(owned: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    owned.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// `application/x-www-form-urlencoded`, every byte but ASCII letters and digits escaped.
pub fn encode(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A browser with its own cookie jar, sending through `app`'s router.
#[derive(Debug)]
pub struct Browser<'a> {
    app: &'a TestApp,
    cookie: String,
}

impl TestApp {
    /// A fresh browser (no cookies) on this app.
    pub fn browser(&self) -> Browser<'_> {
        Browser {
            app: self,
            cookie: String::new(),
        }
    }
}

impl Browser<'_> {
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        form: Option<&[(&str, &str)]>,
    ) -> Page {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, HOST);
        if !self.cookie.is_empty() {
            request = request.header(header::COOKIE, self.cookie.clone());
        }
        let body = match form {
            Some(pairs) => {
                request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Body::from(encode(pairs))
            }
            None => Body::empty(),
        };
        let response = self
            .app
            .send(request.body(body).expect("a valid request"))
            .await;
        for set in response.headers.get_all(header::SET_COOKIE) {
            let pair = set
                .to_str()
                .expect("ascii cookie")
                .split(';')
                .next()
                .unwrap_or_default()
                .to_string();
            let name = pair.split('=').next().unwrap_or_default().to_string();
            let mut jar: Vec<String> = self
                .cookie
                .split("; ")
                .filter(|c| !c.is_empty() && !c.starts_with(&format!("{name}=")))
                .map(String::from)
                .collect();
            if !pair.ends_with('=') {
                jar.push(pair);
            }
            self.cookie = jar.join("; ");
        }
        Page {
            status: response.status,
            headers: response.headers,
            body: String::from_utf8_lossy(&response.body).into_owned(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        self.send(Method::POST, path, Some(form)).await
    }

    /// Signs a demo account in through the sign-in form; asserts the redirect.
    pub async fn login(&mut self, username: &str) -> Page {
        let page = self
            .post(
                "/login",
                &[
                    ("username", username),
                    ("password", DEMO_PASSWORD),
                    ("next", "/"),
                ],
            )
            .await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "[{}] login {username}: {}",
            self.app.backend(),
            page.body
        );
        page
    }
}

/// The forms a value can take in a page: as is, and HTML-escaped (both spellings of an
/// escaped apostrophe).
pub fn html_forms(value: &str) -> Vec<String> {
    let escaped = value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    let mut forms = vec![
        value.to_string(),
        escaped.replace('\'', "&#39;"),
        escaped.replace('\'', "&#x27;"),
    ];
    forms.sort();
    forms.dedup();
    forms
}

/// Whether `html` carries `value` in any of its [`html_forms`].
pub fn shows(html: &str, value: &str) -> bool {
    html_forms(value)
        .iter()
        .any(|form| html.contains(form.as_str()))
}
