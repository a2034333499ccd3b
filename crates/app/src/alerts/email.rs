//! Delivering alerts by e-mail (SMTP), the optional third channel: what the system
//! administrator configures (kept in site settings; the password is write-only), and the
//! plain-text mail in the configured language. A mail names the rule, the severity, the
//! person the alert is about, the store, the time and the counts, with the path of the
//! alert in the inbox; never a customer, not even a customer id.

use super::email_text::word;
use super::rules::{zone_offset, Severity};
use crate::actor::Actor;
use crate::audit_trail::{append, event};
use crate::error::AppError;
use crate::App;
use dealervault_audit::Outcome;
use dealervault_domain::catalog::Entity;
use dealervault_domain::error::Rule;
use dealervault_domain::values::Email;
use dealervault_policy::Action;
use dealervault_store::{AlertRow, StoreError, Tx};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::time::Duration;

/// Site settings of the e-mail channel: the configuration as JSON, and the SMTP
/// password apart (write-only).
pub const EMAIL_CONFIG: &str = "alerts.email";
pub const EMAIL_PASSWORD: &str = "alerts.email_password";

/// At most this many recipients.
pub const RECIPIENTS_MAX: usize = 20;
const HOST_MAX: usize = 253;
const CREDENTIAL_MAX: usize = 200;
const SMTP_TIMEOUT: Duration = Duration::from_secs(10);
const ERROR_MAX: usize = 300;
/// Alert times in mails are given in this zone.
const MAIL_ZONE: &str = "Asia/Shanghai";

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (required), usually port 587.
    StartTls,
    /// TLS from the first byte ("SMTPS"), usually port 465.
    Tls,
    /// No encryption: only towards a loopback or private-network host.
    None,
}

impl SmtpSecurity {
    pub const ALL: [SmtpSecurity; 3] = [
        SmtpSecurity::StartTls,
        SmtpSecurity::Tls,
        SmtpSecurity::None,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SmtpSecurity::StartTls => "starttls",
            SmtpSecurity::Tls => "tls",
            SmtpSecurity::None => "none",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn default_port(self) -> u16 {
        match self {
            SmtpSecurity::StartTls => 587,
            SmtpSecurity::Tls => 465,
            SmtpSecurity::None => 25,
        }
    }
}

/// The language of the mails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailLang {
    Zh,
    En,
}

impl MailLang {
    pub const ALL: [MailLang; 2] = [MailLang::Zh, MailLang::En];

    pub fn code(self) -> &'static str {
        match self {
            MailLang::Zh => "zh",
            MailLang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// The stored configuration (without the password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct EmailConfig {
    pub host: String,
    pub port: u16,
    pub security: String,
    pub username: Option<String>,
    pub from: String,
    pub recipients: Vec<String>,
    pub min_severity: String,
    pub lang: String,
}

impl EmailConfig {
    /// Whether an alert of `severity` is mailed.
    pub fn mails(&self, severity: &str) -> bool {
        severity_rank(severity) >= severity_rank(&self.min_severity)
    }

    fn lang(&self) -> MailLang {
        MailLang::parse(&self.lang).unwrap_or(MailLang::Zh)
    }
}

fn severity_rank(code: &str) -> usize {
    Severity::ALL
        .iter()
        .position(|s| s.code() == code)
        .unwrap_or(Severity::ALL.len())
}

/// The e-mail channel as shown back: everything but the password, of which only
/// whether one is set.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EmailView {
    pub enabled: bool,
    pub host: Option<String>,
    pub port: u16,
    /// `starttls`, `tls` or `none`.
    pub security: String,
    pub username: Option<String>,
    pub password_set: bool,
    pub from: Option<String>,
    pub recipients: Vec<String>,
    /// Alerts of this severity and above are mailed.
    pub min_severity: String,
    /// `zh` or `en`.
    pub lang: String,
}

/// A new e-mail configuration. `host` blank turns e-mail off; a blank or missing
/// password keeps the one set.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailUpdate {
    /// SMTP server name or address; blank turns e-mail off.
    pub host: String,
    /// Default: 587 for `starttls`, 465 for `tls`, 25 for `none`.
    #[serde(default)]
    pub port: Option<i64>,
    /// `starttls` (default), `tls` or `none` (only for a loopback or private-network host).
    #[serde(default)]
    pub security: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    /// Never shown back; blank keeps the one set.
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub from: String,
    /// Addresses separated by commas or new lines, at most 20.
    #[serde(default)]
    pub recipients: String,
    /// `info`, `warning` (default) or `critical`.
    #[serde(default)]
    pub min_severity: Option<String>,
    /// `zh` (default) or `en`.
    #[serde(default)]
    pub lang: Option<String>,
}

fn valid_host(host: &str) -> bool {
    if host.parse::<IpAddr>().is_ok() {
        return true;
    }
    host.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

/// A host that plain SMTP may go to: `localhost`, or a loopback, private or link-local
/// address. A name other than `localhost` could resolve anywhere, so it does not count.
pub fn is_private_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(a)) => a.is_loopback() || a.is_private() || a.is_link_local(),
        Ok(IpAddr::V6(a)) => {
            let first = a.segments()[0];
            a.is_loopback() || first & 0xfe00 == 0xfc00 || first & 0xffc0 == 0xfe80
        }
        Err(_) => false,
    }
}

fn address(field: &'static str, input: &str) -> Result<String, AppError> {
    let email = Email::parse(field, input).map_err(|e| AppError::Invalid(vec![e]))?;
    // What the domain accepts must also be an address the mailer can write.
    email
        .as_str()
        .parse::<lettre::Address>()
        .map_err(|_| AppError::invalid(field, Rule::InvalidEmail))?;
    Ok(email.as_str().to_string())
}

fn credential(field: &'static str, value: &str) -> Result<(), AppError> {
    if value.chars().count() > CREDENTIAL_MAX {
        return Err(AppError::invalid(
            field,
            Rule::TooLong {
                max: CREDENTIAL_MAX,
            },
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(AppError::invalid(field, Rule::InvalidCharacters));
    }
    Ok(())
}

/// Checks an update with a host and turns it into the stored configuration.
fn validate(u: &EmailUpdate) -> Result<EmailConfig, AppError> {
    let host = u.host.trim();
    if host.chars().count() > HOST_MAX {
        return Err(AppError::invalid("host", Rule::TooLong { max: HOST_MAX }));
    }
    if !valid_host(host) {
        return Err(AppError::invalid("host", Rule::InvalidCharacters));
    }
    let security = match u.security.as_deref().map(str::trim) {
        None | Some("") => SmtpSecurity::StartTls,
        Some(s) => {
            SmtpSecurity::parse(s).ok_or(AppError::invalid("security", Rule::UnknownValue))?
        }
    };
    if security == SmtpSecurity::None && !is_private_host(host) {
        return Err(AppError::invalid("security", Rule::PrivateNetworkOnly));
    }
    let port = match u.port {
        None => security.default_port(),
        Some(p) => u16::try_from(p)
            .ok()
            .filter(|p| *p > 0)
            .ok_or(AppError::invalid(
                "port",
                Rule::OutOfRange { min: 1, max: 65535 },
            ))?,
    };
    let username = u
        .username
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(name) = username {
        credential("username", name)?;
    }
    let from = address("from", &u.from)?;
    let listed: Vec<&str> = u
        .recipients
        .split([',', ';', '\n', '\r'])
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .collect();
    if listed.is_empty() {
        return Err(AppError::invalid("recipients", Rule::Required));
    }
    if listed.len() > RECIPIENTS_MAX {
        return Err(AppError::invalid(
            "recipients",
            Rule::OutOfRange {
                min: 1,
                max: RECIPIENTS_MAX,
            },
        ));
    }
    let mut recipients = vec![];
    for r in listed {
        let r = address("recipients", r)?;
        if !recipients.contains(&r) {
            recipients.push(r);
        }
    }
    let min_severity = match u.min_severity.as_deref().map(str::trim) {
        None | Some("") => Severity::Warning,
        Some(s) => {
            Severity::parse(s).ok_or(AppError::invalid("min_severity", Rule::UnknownValue))?
        }
    };
    let lang = match u.lang.as_deref().map(str::trim) {
        None | Some("") => MailLang::Zh,
        Some(l) => MailLang::parse(l).ok_or(AppError::invalid("lang", Rule::UnknownValue))?,
    };
    Ok(EmailConfig {
        host: host.to_string(),
        port,
        security: security.code().to_string(),
        username: username.map(str::to_string),
        from,
        recipients,
        min_severity: min_severity.code().to_string(),
        lang: lang.code().to_string(),
    })
}

/// The configuration in `tx`, if e-mail is on.
pub(crate) async fn configured(tx: &mut Tx) -> Result<Option<EmailConfig>, AppError> {
    match tx.setting(EMAIL_CONFIG).await? {
        None => Ok(None),
        Some(json) => serde_json::from_str(&json)
            .map(Some)
            .map_err(|e| AppError::Storage(StoreError::Other(format!("e-mail settings: {e}")))),
    }
}

/// Names of the settings that differ, for the audit record (never their values).
fn changed_fields(old: Option<&EmailConfig>, new: &EmailConfig) -> Vec<String> {
    let Some(old) = old else {
        return [
            "host",
            "port",
            "security",
            "username",
            "from",
            "recipients",
            "min_severity",
            "lang",
        ]
        .iter()
        .map(|f| format!("email.{f}"))
        .collect();
    };
    let mut fields = vec![];
    let mut note = |differs: bool, name: &str| {
        if differs {
            fields.push(format!("email.{name}"));
        }
    };
    note(old.host != new.host, "host");
    note(old.port != new.port, "port");
    note(old.security != new.security, "security");
    note(old.username != new.username, "username");
    note(old.from != new.from, "from");
    note(old.recipients != new.recipients, "recipients");
    note(old.min_severity != new.min_severity, "min_severity");
    note(old.lang != new.lang, "lang");
    fields
}

impl App {
    pub async fn alert_email(&self, actor: &Actor) -> Result<EmailView, AppError> {
        self.permit(actor, Entity::Settings, Action::View, "alert.configure")
            .await?;
        let mut tx = self.store().read().await?;
        let config = configured(&mut tx).await?;
        let password_set = tx.setting(EMAIL_PASSWORD).await?.is_some();
        Ok(match config {
            Some(c) => EmailView {
                enabled: true,
                host: Some(c.host),
                port: c.port,
                security: c.security,
                username: c.username,
                password_set,
                from: Some(c.from),
                recipients: c.recipients,
                min_severity: c.min_severity,
                lang: c.lang,
            },
            None => EmailView {
                enabled: false,
                host: None,
                port: SmtpSecurity::StartTls.default_port(),
                security: SmtpSecurity::StartTls.code().into(),
                username: None,
                password_set,
                from: None,
                recipients: vec![],
                min_severity: Severity::Warning.code().into(),
                lang: MailLang::Zh.code().into(),
            },
        })
    }

    /// Sets the e-mail channel (`host` blank turns it off). A username needs a password,
    /// given now or kept from before; without a username no password is kept. Audited
    /// as `alert.configure` naming the settings changed, never their values.
    pub async fn set_alert_email(
        &self,
        actor: &Actor,
        update: &EmailUpdate,
    ) -> Result<EmailView, AppError> {
        self.permit(actor, Entity::Settings, Action::Edit, "alert.configure")
            .await?;
        let password = update.password.as_deref().filter(|p| !p.trim().is_empty());
        if let Some(p) = password {
            credential("password", p)?;
        }
        let config = if update.host.trim().is_empty() {
            None
        } else {
            Some(validate(update)?)
        };
        let mut tx = self.store().write().await?;
        let old = configured(&mut tx).await?;
        let had_password = tx.setting(EMAIL_PASSWORD).await?.is_some();
        let mut fields = vec![];
        match config {
            None => {
                tx.delete_setting(EMAIL_CONFIG).await?;
                tx.delete_setting(EMAIL_PASSWORD).await?;
                fields.push("email.host".to_string());
                if had_password {
                    fields.push("email.password".to_string());
                }
            }
            Some(config) => {
                match (&config.username, password) {
                    (None, Some(_)) => return Err(AppError::invalid("username", Rule::Required)),
                    (Some(_), None) if !had_password => {
                        return Err(AppError::invalid("password", Rule::Required))
                    }
                    _ => {}
                }
                let json = serde_json::to_string(&config).map_err(|e| {
                    AppError::Storage(StoreError::Other(format!("e-mail settings: {e}")))
                })?;
                tx.put_setting(EMAIL_CONFIG, &json).await?;
                fields = changed_fields(old.as_ref(), &config);
                if let Some(p) = password {
                    let sealed = self.vault().seal_secret(EMAIL_PASSWORD, p)?;
                    tx.put_setting(EMAIL_PASSWORD, &sealed).await?;
                    fields.push("email.password".to_string());
                } else if config.username.is_none() && had_password {
                    tx.delete_setting(EMAIL_PASSWORD).await?;
                    fields.push("email.password".to_string());
                }
            }
        }
        let mut ev = event(
            self,
            actor,
            "alert.configure",
            Entity::Settings,
            Outcome::Allowed,
        );
        ev.fields = fields;
        append(&mut tx, ev).await?;
        tx.commit().await?;
        self.alert_email(actor).await
    }
}

/// A composed mail: subject and plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub subject: String,
    pub body: String,
}

/// Text of people's names as it may appear in a header or a line: no control
/// characters.
fn clean(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

fn shanghai_time(ms: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .map(|t| t.to_offset(zone_offset(MAIL_ZONE)))
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| ms.to_string())
}

/// The mail about `alert` in `lang`: the rule, severity, person (username and display
/// name), store, time in Asia/Shanghai, the counts and the path `/alerts/{id}`. The
/// alert's record ids are left out on purpose.
pub fn compose(
    lang: MailLang,
    alert: &AlertRow,
    display_name: Option<&str>,
    store_code: Option<&str>,
) -> Mail {
    let w = |key: &str| word(lang, key);
    let (colon, open, close) = match lang {
        MailLang::Zh => ("：", "（", "）"),
        MailLang::En => (": ", " (", ")"),
    };
    let kind = w(&format!("kind.{}", alert.kind));
    let severity = w(&format!("severity.{}", alert.severity));
    let username = clean(&alert.subject_username);
    let subject = match lang {
        MailLang::Zh => format!(
            "[{}·{severity}] {kind}{colon}{username}",
            w("subject.prefix")
        ),
        MailLang::En => format!(
            "[{} · {severity}] {kind}{colon}{username}",
            w("subject.prefix")
        ),
    };
    let person = match display_name.map(clean).filter(|d| !d.is_empty()) {
        Some(d) => format!("{username}{open}{d}{close}"),
        None => username.clone(),
    };
    let store = store_code.map(clean).unwrap_or_else(|| w("store.none"));
    let evidence = w("evidence")
        .replace("{count}", &alert.event_count.to_string())
        .replace("{threshold}", &alert.threshold.to_string())
        .replace("{minutes}", &(alert.window_secs / 60).to_string());
    let path = format!("/alerts/{}", alert.id);
    let lines = [
        w("heading"),
        String::new(),
        format!(
            "{}{colon}{kind}{open}{}{close}",
            w("label.rule"),
            alert.kind
        ),
        format!("{}{colon}{severity}", w("label.severity")),
        format!("{}{colon}{person}", w("label.person")),
        format!("{}{colon}{store}", w("label.store")),
        format!(
            "{}{colon}{}{open}{}{close}",
            w("label.time"),
            shanghai_time(alert.created_at),
            w("zone")
        ),
        format!("{}{colon}{evidence}", w("label.evidence")),
        format!(
            "{}{colon}{}",
            w("label.action"),
            w(&format!("action.{}", alert.action_taken))
        ),
        format!("{}{colon}{}", w("label.id"), alert.id),
        format!(
            "{}{colon}{}",
            w("label.link"),
            w("link").replace("{path}", &path)
        ),
        String::new(),
        w("footer"),
    ];
    Mail {
        subject,
        body: lines.join("\r\n") + "\r\n",
    }
}

/// The mail of `alert` under `config`.
pub(crate) fn compose_for(
    config: &EmailConfig,
    alert: &AlertRow,
    display_name: Option<&str>,
    store_code: Option<&str>,
) -> Mail {
    compose(config.lang(), alert, display_name, store_code)
}

fn short(error: impl std::fmt::Display) -> String {
    let text = error.to_string();
    match text.char_indices().nth(ERROR_MAX) {
        Some((at, _)) => text[..at].to_string(),
        None => text,
    }
}

/// Sends one mail through the configured server (blocking; run it on the blocking
/// pool). The error is a short description: never the password nor the mail.
pub(crate) fn send(
    config: &EmailConfig,
    password: Option<&str>,
    mail: &Mail,
) -> Result<(), String> {
    let from: Mailbox = config
        .from
        .parse()
        .map_err(|e| format!("from address: {}", short(e)))?;
    let mut builder = Message::builder()
        .from(from)
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN);
    for r in &config.recipients {
        let to: Mailbox = r
            .parse()
            .map_err(|e| format!("recipient address: {}", short(e)))?;
        builder = builder.to(to);
    }
    let body = Body::new_with_encoding(mail.body.clone(), ContentTransferEncoding::Base64)
        .map_err(|_| "mail body encoding".to_string())?;
    let message = builder
        .body(body)
        .map_err(|e| format!("mail: {}", short(e)))?;
    let security = SmtpSecurity::parse(&config.security).unwrap_or(SmtpSecurity::StartTls);
    let transport = match security {
        SmtpSecurity::Tls => SmtpTransport::relay(&config.host),
        SmtpSecurity::StartTls => SmtpTransport::starttls_relay(&config.host),
        SmtpSecurity::None => Ok(SmtpTransport::builder_dangerous(config.host.as_str())),
    }
    .map_err(|e| format!("smtp: {}", short(e)))?
    .port(config.port)
    .timeout(Some(SMTP_TIMEOUT));
    let transport = match (&config.username, password) {
        (Some(user), Some(pass)) => {
            transport.credentials(Credentials::new(user.clone(), pass.to_string()))
        }
        _ => transport,
    };
    transport
        .build()
        .send(&message)
        .map(drop)
        .map_err(|e| format!("smtp: {}", short(e)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dealervault_domain::ids::UserId;

    fn update() -> EmailUpdate {
        EmailUpdate {
            host: "smtp.example.com".into(),
            from: "alerts@example.com".into(),
            recipients: "a@example.com, b@example.com\nA@example.com".into(),
            ..EmailUpdate::default()
        }
    }

    fn field(e: AppError) -> &'static str {
        match e {
            AppError::Invalid(f) => f[0].field,
            other => panic!("not a field error: {other}"),
        }
    }

    #[test]
    fn defaults_and_normalised_recipients() {
        let c = validate(&update()).expect("valid");
        assert_eq!((c.port, c.security.as_str()), (587, "starttls"));
        assert_eq!(
            (c.min_severity.as_str(), c.lang.as_str()),
            ("warning", "zh")
        );
        assert_eq!(c.recipients, ["a@example.com", "b@example.com"]);
        assert!(c.mails("critical") && c.mails("warning") && !c.mails("info"));
    }

    #[test]
    fn refusals_name_the_field() {
        let mut u = update();
        u.recipients = "a@example.com, nope".into();
        assert_eq!(field(validate(&u).expect_err("bad address")), "recipients");
        u.recipients = (0..21).map(|i| format!("r{i}@example.com,")).collect();
        assert_eq!(field(validate(&u).expect_err("too many")), "recipients");
        let mut u = update();
        u.security = Some("none".into());
        assert_eq!(field(validate(&u).expect_err("public host")), "security");
        u.host = "192.168.1.20".into();
        assert!(validate(&u).is_ok());
        u.port = Some(70_000);
        assert_eq!(field(validate(&u).expect_err("port")), "port");
        let mut u = update();
        u.host = "smtp example.com".into();
        assert_eq!(field(validate(&u).expect_err("host")), "host");
        let mut u = update();
        u.from = "x".into();
        assert_eq!(field(validate(&u).expect_err("from")), "from");
    }

    fn config(security: SmtpSecurity, port: u16) -> EmailConfig {
        EmailConfig {
            host: "127.0.0.1".into(),
            port,
            security: security.code().into(),
            username: None,
            from: "alerts@example.com".into(),
            recipients: vec!["a@example.com".into()],
            min_severity: "warning".into(),
            lang: "zh".into(),
        }
    }

    fn mail() -> Mail {
        Mail {
            subject: "s".into(),
            body: "b".into(),
        }
    }

    #[test]
    fn tls_begins_with_a_handshake() {
        use std::io::Read;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let first = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().expect("a connection");
            let mut byte = [0u8; 1];
            stream.read_exact(&mut byte).map(|()| byte[0]).unwrap_or(0)
        });
        // The handshake fails (the listener speaks no TLS); what matters is how it began.
        assert!(send(&config(SmtpSecurity::Tls, port), None, &mail()).is_err());
        // 0x16: a TLS handshake record.
        assert_eq!(first.join().expect("listener"), 0x16);
    }

    #[test]
    fn starttls_refuses_a_server_that_does_not_offer_it() {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let seen = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().expect("a connection");
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let _ = stream.write_all(b"220 plain.test ESMTP\r\n");
            let mut commands = vec![];
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                commands.push(line.to_ascii_uppercase());
                let _ = stream.write_all(b"250 plain.test\r\n");
            }
            commands
        });
        let error = send(&config(SmtpSecurity::StartTls, port), Some("pw"), &mail())
            .expect_err("no STARTTLS offered");
        assert!(!error.contains("pw"), "{error}");
        let commands = seen.join().expect("server");
        assert!(
            !commands
                .iter()
                .any(|c| c.starts_with("MAIL") || c.starts_with("DATA")),
            "nothing is sent in the clear: {commands:?}"
        );
    }

    #[test]
    fn private_hosts() {
        for h in [
            "127.0.0.1",
            "localhost",
            "10.0.0.5",
            "172.16.1.1",
            "192.168.0.1",
            "::1",
            "fd00::1",
        ] {
            assert!(is_private_host(h), "{h}");
        }
        for h in ["8.8.8.8", "smtp.example.com", "2001:db8::1", "172.32.0.1"] {
            assert!(!is_private_host(h), "{h}");
        }
    }

    #[test]
    fn the_mail_names_rule_person_store_and_path_but_no_record() {
        let alert = AlertRow {
            id: "0190-abc".into(),
            kind: "bulk_view".into(),
            severity: "critical".into(),
            subject_user_id: UserId::from_stored("u1".into()),
            subject_username: "sales01".into(),
            store_id: None,
            department_id: None,
            event_count: 312,
            threshold: 200,
            window_secs: 3600,
            record_ids: vec!["customer-secret-id".into()],
            last_seq: 9,
            action_taken: "none".into(),
            // 2026-01-05 00:03:00 UTC: 08:03 in Shanghai.
            created_at: 1_767_571_380_000,
            status: "open".into(),
            acknowledged_by: None,
            acknowledged_at: None,
        };
        let zh = compose(MailLang::Zh, &alert, Some("王小明"), Some("SH01"));
        assert_eq!(
            zh.subject,
            "[DealerVault 告警·严重] 疑似批量查看客户：sales01"
        );
        assert!(zh.body.contains("sales01（王小明）"), "{}", zh.body);
        assert!(zh.body.contains("2026-01-05 08:03:00"), "{}", zh.body);
        assert!(
            zh.body.contains("312 次（阈值 200，60 分钟内）"),
            "{}",
            zh.body
        );
        assert!(zh.body.contains("/alerts/0190-abc") && zh.body.contains("SH01"));
        let en = compose(MailLang::En, &alert, Some("Wang"), None);
        assert_eq!(
            en.subject,
            "[DealerVault alert · Critical] Bulk viewing of customers: sales01"
        );
        assert!(en.body.contains("Group (no store)") && en.body.contains("/alerts/0190-abc"));
        for m in [zh, en] {
            assert!(!m.body.contains("customer-secret-id"));
        }
    }
}
