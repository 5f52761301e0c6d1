//! Small pure helpers: times, statuses, the CSV of new passwords.

use std::cell::RefCell;

use rekey_shared::csv::cell;
use rekey_shared::i18n::AdminTexts;
use rekey_shared::{BulkResetItem, UserSummary};

thread_local! {
    // The page's locale and the organisation's time zone: set when the
    // language is chosen and when /api/info answers.
    static LOCALE: RefCell<(&'static str, String)> = RefCell::new(("en-GB", "UTC".into()));
}

pub fn set_locale(locale: &'static str) {
    LOCALE.with(|l| l.borrow_mut().0 = locale);
}

pub fn set_time_zone(zone: &str) {
    LOCALE.with(|l| {
        l.borrow_mut().1 = if zone.is_empty() {
            "UTC".into()
        } else {
            zone.into()
        }
    });
}

/// A Unix-ms time in the page's language and the organisation's time zone,
/// with the zone's name: "24 Nov 2026, 18:13 CET", "24 nov 2026, 18:13 CET".
pub fn when(ms: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let (locale, zone) = LOCALE.with(|l| l.borrow().clone());
    let format = |zone: &str| {
        let options = js_sys::Object::new();
        for (k, v) in [
            ("day", "numeric"),
            ("month", "short"),
            ("year", "numeric"),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            ("timeZoneName", "short"),
            ("timeZone", zone),
        ] {
            let _ = js_sys::Reflect::set(&options, &k.into(), &v.into());
        }
        date.to_locale_string(locale, &options)
    };
    // An unknown zone name makes the browser throw: fall back to UTC.
    let text = String::from(format(&zone));
    if text.is_empty() || text == "Invalid Date" {
        String::from(format("UTC"))
    } else {
        text
    }
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The status badges a user row shows, most urgent first.
pub fn statuses(user: &UserSummary, now: i64, t: &AdminTexts) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if user.blocked {
        out.push(("danger", t.blocked_badge.to_string()));
    }
    if let Some(until) = user.locked_until.filter(|u| *u > now) {
        out.push(("danger", (t.locked_until)(&when(until))));
    }
    match user.temporary_password_expires_at {
        Some(exp) if user.must_change_password && exp <= now => {
            out.push(("danger", t.temp_expired.to_string()))
        }
        _ if user.must_change_password => out.push(("warn", t.must_change.to_string())),
        _ => {}
    }
    if let Some(at) = user.reset_requested_at {
        out.push(("warn", (t.asked_reset)(&when(at))));
    }
    if let Some(link) = &user.reset_link {
        match link.used_at {
            Some(used) => out.push(("ok", (t.link_badge_used)(&when(used)))),
            None if link.expires_at > now => {
                out.push(("warn", (t.link_badge_open)(&when(link.expires_at))))
            }
            None => {}
        }
    }
    if let Some(until) = user.temporary_pass_expires_at.filter(|u| *u > now) {
        out.push(("warn", (t.tap_live)(&when(until))));
    }
    if out.is_empty() {
        out.push(("ok", t.active.to_string()));
    }
    out
}

/// The CSV an admin downloads after a bulk reset. Built in the browser;
/// never sent or stored anywhere.
pub fn passwords_csv(items: &[BulkResetItem]) -> String {
    let mut out = String::from("display_name,username,password,must_change_password,result\r\n");
    for item in items {
        let row = match (&item.result, &item.error) {
            (Some(r), _) => [
                cell(&r.display_name),
                cell(&r.username),
                cell(&r.password),
                r.must_change_password.to_string(),
                "reset".to_string(),
            ],
            (None, Some(e)) => [
                String::new(),
                cell(&item.user_id),
                String::new(),
                String::new(),
                cell(&e.message),
            ],
            (None, None) => continue,
        };
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rekey_shared::{ApiError, ErrorCode, ResetResult};

    #[test]
    fn the_csv_quotes_and_defuses_what_it_must() {
        let items = vec![
            BulkResetItem {
                user_id: "1".into(),
                result: Some(ResetResult {
                    user_id: "1".into(),
                    username: "o.neil".into(),
                    display_name: "O'Neil, \"Pat\"".into(),
                    password: "=cmd|x".into(),
                    generated: true,
                    must_change_password: true,
                    temporary_password_expires_at: None,
                    emails: vec![],
                    version: 1,
                }),
                error: None,
            },
            BulkResetItem {
                user_id: "2".into(),
                result: None,
                error: Some(ApiError::new(
                    ErrorCode::NotFound,
                    "That user was not found.",
                )),
            },
        ];
        let csv = passwords_csv(&items);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "display_name,username,password,must_change_password,result"
        );
        assert_eq!(
            lines[1],
            "\"O'Neil, \"\"Pat\"\"\",o.neil,'=cmd|x,true,reset"
        );
        assert_eq!(lines[2], ",2,,,That user was not found.");
    }
}
