//! The message catalog of two-step sign-in (两步验证): the code step of signing in, the
//! reminder on every page, the person's own set-up page and recovery codes, the
//! administrator's reset, the role editor's mark and the grace period setting (Chinese
//! first, English second).

pub const MFA_MESSAGES: &[(&str, &str, &str)] = &[
    // Signing in: the second step.
    ("login.code.title", "两步验证", "Two-step sign-in"),
    ("login.code.heading", "输入动态码", "Enter your code"),
    (
        "login.code.lead",
        "打开手机上的验证器应用，输入 DealerVault 当前显示的 6 位数字。",
        "Open the authenticator app on your phone and enter the 6-digit code it shows for DealerVault.",
    ),
    ("login.code.label", "6 位动态码", "6-digit code"),
    ("login.code.submit", "验证并登录", "Verify and sign in"),
    (
        "login.code.use_recovery",
        "手机不在身边？使用恢复码",
        "No phone at hand? Use a recovery code",
    ),
    ("login.code.use_totp", "改用动态码", "Use the app's code instead"),
    ("login.code.restart", "重新登录", "Start over"),
    ("login.code.recovery_heading", "输入恢复码", "Enter a recovery code"),
    (
        "login.code.recovery_lead",
        "输入设置两步验证时保存的恢复码之一（格式 xxxx-xxxx-xxxx）。每个恢复码只能使用一次。",
        "Enter one of the recovery codes you saved when you set up two-step sign-in (xxxx-xxxx-xxxx). Each works once.",
    ),
    ("login.code.recovery_label", "恢复码", "Recovery code"),
    ("login.code.required", "请输入验证码。", "Enter the code."),
    (
        "login.code.invalid",
        "动态码不正确或已过期，请输入应用当前显示的数字。",
        "That code is wrong or has expired; enter the one the app shows now.",
    ),
    (
        "login.code.reused",
        "该动态码刚刚用过，请等应用显示下一个。",
        "That code was just used; wait for the app's next one.",
    ),
    (
        "login.code.recovery_invalid",
        "恢复码不正确。",
        "That recovery code is not right.",
    ),
    (
        "login.code.recovery_used",
        "该恢复码已经用过，每个恢复码只能使用一次。",
        "That recovery code was used already; each works once.",
    ),
    (
        "login.code.expired",
        "登录已超时，请重新输入用户名和密码。",
        "The sign-in timed out; enter your username and password again.",
    ),
    // The reminder on every page, and the menu entry.
    (
        "mfa.banner",
        "您的角色要求两步验证。请在 {} 前完成设置，逾期未设置将无法继续使用系统。",
        "Your role requires two-step sign-in. Set it up before {}; after that you can do nothing else until you have.",
    ),
    ("mfa.banner.link", "立即设置", "Set it up now"),
    ("mfa.menu", "两步验证", "Two-step sign-in"),
    // The person's own page.
    ("mfa.title", "两步验证", "Two-step sign-in"),
    ("mfa.heading", "两步验证", "Two-step sign-in"),
    (
        "mfa.lead",
        "登录时除密码外，还需输入手机验证器应用生成的 6 位动态码。即使密码泄露，他人也无法登录您的账户。",
        "Signing in takes, besides the password, a 6-digit code from the authenticator app on your phone. Even a leaked password does not let anyone else in.",
    ),
    ("mfa.state.label", "状态", "Status"),
    ("mfa.state.on", "已启用", "On"),
    ("mfa.state.off", "未启用", "Off"),
    ("mfa.required.label", "角色要求", "Required by your role"),
    ("mfa.required.yes", "必须启用", "Yes"),
    ("mfa.required.no", "可选", "Optional"),
    ("mfa.left", "剩余恢复码", "Recovery codes left"),
    (
        "mfa.left.few",
        "您的恢复码只剩 {} 个，请尽快重新生成。",
        "Only {} recovery codes are left; make new ones soon.",
    ),
    (
        "mfa.deadline",
        "您的角色要求两步验证，请在 {} 前完成设置。",
        "Your role requires two-step sign-in; set it up before {}.",
    ),
    (
        "mfa.forced",
        "请先完成两步验证的设置，之后才能继续使用系统。",
        "Set up two-step sign-in first; you can do nothing else until you have.",
    ),
    ("mfa.start.heading", "设置步骤", "How to set it up"),
    (
        "mfa.start.step1",
        "在手机上安装验证器应用（如 Microsoft Authenticator、Google 身份验证器或其他支持 TOTP 的应用）。",
        "Install an authenticator app on your phone (Microsoft Authenticator, Google Authenticator or any other that supports TOTP).",
    ),
    (
        "mfa.start.step2",
        "点击“开始设置”，用应用扫描页面上的二维码。",
        "Press “Begin set-up” and scan the QR code on the page with the app.",
    ),
    (
        "mfa.start.step3",
        "输入应用显示的 6 位动态码确认，然后妥善保存恢复码。",
        "Confirm with the 6-digit code the app shows, then keep the recovery codes safe.",
    ),
    ("mfa.start.submit", "开始设置", "Begin set-up"),
    ("mfa.start.again", "重新生成密钥", "Start again with a new key"),
    (
        "mfa.pending",
        "您已开始设置但尚未确认。若已在应用中添加，请输入当前动态码；否则请重新开始。",
        "You began setting it up but have not confirmed it. If the app has the account, enter its code now; otherwise start again.",
    ),
    ("mfa.regen.heading", "重新生成恢复码", "Make new recovery codes"),
    (
        "mfa.regen.hint",
        "输入应用当前的动态码，生成 10 个新的恢复码；旧的恢复码将全部作废。",
        "Enter the app's current code to make 10 new recovery codes; all the old ones stop working.",
    ),
    ("mfa.regen.submit", "生成新恢复码", "Make new codes"),
    (
        "mfa.lost",
        "手机丢失或更换？请联系系统管理员重置两步验证。",
        "Lost or replaced your phone? Ask the system administrator to reset your two-step sign-in.",
    ),
    (
        "mfa.error.code",
        "动态码不正确。请确认手机时间准确，并输入应用当前显示的数字。",
        "That code is not right. Check that the phone's clock is correct and enter the code the app shows now.",
    ),
    (
        "mfa.error.enabled",
        "两步验证已经启用。更换手机请联系系统管理员重置。",
        "Two-step sign-in is on already. For a new phone, ask the system administrator to reset it.",
    ),
    (
        "mfa.error.not_pending",
        "请先开始设置。",
        "Begin the set-up first.",
    ),
    (
        "mfa.error.not_enabled",
        "两步验证尚未启用。",
        "Two-step sign-in is not on.",
    ),
    // Setting up.
    ("mfa.setup.title", "添加到验证器应用", "Add to your authenticator app"),
    (
        "mfa.setup.lead",
        "用验证器应用扫描二维码，或手动输入密钥，然后输入应用显示的动态码确认。",
        "Scan the QR code with your authenticator app, or type the key in, then confirm with the code the app shows.",
    ),
    (
        "mfa.setup.once",
        "密钥只显示这一次。请勿截图、拍照或告诉他人。",
        "The key is shown this once only. Do not screenshot, photograph or share it.",
    ),
    ("mfa.setup.scan", "扫描二维码", "Scan the QR code"),
    ("mfa.setup.qr_label", "两步验证二维码", "QR code for two-step sign-in"),
    ("mfa.setup.account", "应用中显示为", "Shown in the app as"),
    ("mfa.setup.manual", "或手动输入密钥", "Or type the key"),
    (
        "mfa.setup.manual.hint",
        "选择“基于时间”，不区分空格与大小写。",
        "Choose “time-based”; spaces and case do not matter.",
    ),
    ("mfa.setup.code", "应用显示的 6 位动态码", "The 6-digit code the app shows"),
    ("mfa.setup.confirm", "确认并启用", "Confirm and turn on"),
    // Recovery codes.
    ("mfa.codes.title", "恢复码", "Recovery codes"),
    ("mfa.codes.heading", "保存您的恢复码", "Save your recovery codes"),
    (
        "mfa.codes.enabled",
        "两步验证已启用。",
        "Two-step sign-in is on.",
    ),
    (
        "mfa.codes.renewed",
        "已生成新的恢复码，旧的恢复码全部作废。",
        "New recovery codes are made; all the old ones stopped working.",
    ),
    (
        "mfa.codes.lead",
        "手机丢失或无法使用时，可用恢复码代替动态码登录，每个只能使用一次。请抄写或打印后妥善保管，不要存放在手机上。",
        "When your phone is lost or unusable, a recovery code signs you in instead of the app's code, once each. Write them down or print them and keep them safe, not on the phone.",
    ),
    (
        "mfa.codes.once",
        "恢复码只显示这一次，离开本页后无法再次查看。",
        "The codes are shown this once; they cannot be seen again after you leave this page.",
    ),
    ("mfa.codes.done", "我已保存，继续", "I have saved them; continue"),
    // The administrator's account page.
    ("accounts.mfa.label", "两步验证", "Two-step sign-in"),
    ("accounts.mfa.on", "已启用", "On"),
    ("accounts.mfa.off", "未启用", "Off"),
    ("accounts.mfa.must", "待重新设置", "To be set up again"),
    ("accounts.mfa.heading", "重置两步验证", "Reset two-step sign-in"),
    (
        "accounts.mfa.hint",
        "员工手机丢失或更换时使用：删除其验证器密钥和恢复码，并立即结束其所有会话。该账户下次登录时必须重新设置，没有宽限期。",
        "For a lost or replaced phone: removes the authenticator key and the recovery codes and ends all the account's sessions at once. At the next sign-in the account must set it up again, with no grace period.",
    ),
    ("accounts.mfa.submit", "重置两步验证", "Reset two-step sign-in"),
    (
        "accounts.done.mfa_reset",
        "已重置两步验证，该账户下次登录时须重新设置。",
        "Two-step sign-in is reset; the account must set it up again at its next sign-in.",
    ),
    // The role editor.
    ("roles.mfa.heading", "登录要求", "Sign-in"),
    (
        "roles.mfa.label",
        "要求两步验证（验证器动态码）",
        "Require two-step sign-in (authenticator code)",
    ),
    (
        "roles.mfa.hint",
        "持有该角色的账户登录时须输入验证器应用的动态码。尚未设置的员工在宽限期内仍可登录（见系统设置），之后只能先完成设置。",
        "Holders of the role sign in with a code from an authenticator app. Those who have not set it up may still sign in during the grace period (see the site settings); after it they can only set it up.",
    ),
    ("perm.diff.mfa", "两步验证", "Two-step sign-in"),
    ("perm.mfa.on", "必须", "Required"),
    ("perm.mfa.off", "不要求", "Not required"),
    // The settings page.
    ("settings.section.mfa", "两步验证", "Two-step sign-in"),
    ("settings.mfa_grace", "宽限期（天）", "Grace period (days)"),
    (
        "settings.mfa_grace.hint",
        "角色要求两步验证后，尚未设置的员工可在此天数内仍仅凭密码登录（0–30）。",
        "After a role starts requiring two-step sign-in, holders who have not set it up may sign in with the password alone for this many days (0–30).",
    ),
    // The audit log's actions.
    (
        "audit.action.auth.mfa_challenge",
        "登录要求动态码",
        "Sign-in asked for a code",
    ),
    (
        "audit.action.auth.mfa_setup",
        "开始设置两步验证",
        "Two-step sign-in set-up begun",
    ),
    (
        "audit.action.auth.mfa_enrol",
        "启用两步验证",
        "Two-step sign-in turned on",
    ),
    (
        "audit.action.auth.mfa_recovery_used",
        "使用恢复码登录",
        "Recovery code used",
    ),
    (
        "audit.action.auth.mfa_recovery_regenerate",
        "重新生成恢复码",
        "Recovery codes renewed",
    ),
    (
        "audit.action.user.mfa_reset",
        "重置两步验证",
        "Two-step sign-in reset",
    ),
];
