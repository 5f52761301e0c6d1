//! The sign-in's answer asks what a page load's does not (a skippable
//! registration, the recovery codes left, self-service's ask), and the
//! sign-in hands her over to the account app in a new page: this tab's
//! storage carries the ask across, once. It holds no secret.

use leptos::prelude::window;

use crate::state::Ask;

const ASK_KEY: &str = "rekey.ask";

/// Leaves this sign-in's ask (or none) for the next page in this tab.
pub fn leave(ask: Option<Ask>) {
    let Some(tab) = window().session_storage().ok().flatten() else {
        return;
    };
    let _ = match ask {
        Some(ask) => tab.set_item(ASK_KEY, &ask.to_token()),
        None => tab.remove_item(ASK_KEY),
    };
}

/// The ask the sign-in handed over, if any: read once.
pub fn take() -> Option<Ask> {
    let tab = window().session_storage().ok().flatten()?;
    let token = tab.get_item(ASK_KEY).ok().flatten()?;
    let _ = tab.remove_item(ASK_KEY);
    Ask::from_token(&token)
}

impl Ask {
    /// `register:<days left or ->`, `codes:<left>`, `security:<0|1>:<skips>`.
    fn to_token(self) -> String {
        match self {
            Ask::Register { days_left: Some(d) } => format!("register:{d}"),
            Ask::Register { days_left: None } => "register:-".into(),
            Ask::RecoveryCodesLeft(n) => format!("codes:{n}"),
            Ask::SecurityInfo(due) => {
                format!("security:{}:{}", u8::from(due.register), due.skips_left)
            }
        }
    }

    fn from_token(token: &str) -> Option<Ask> {
        let mut parts = token.split(':');
        let ask = match (parts.next()?, parts.next()?, parts.next()) {
            ("register", "-", None) => Ask::Register { days_left: None },
            ("register", d, None) => Ask::Register {
                days_left: Some(d.parse().ok()?),
            },
            ("codes", n, None) => Ask::RecoveryCodesLeft(n.parse().ok()?),
            ("security", r @ ("0" | "1"), Some(skips)) => {
                Ask::SecurityInfo(rekey_shared::SecurityInfoDue {
                    register: r == "1",
                    skips_left: skips.parse().ok()?,
                })
            }
            _ => return None,
        };
        parts.next().is_none().then_some(ask)
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn each_ask_the_sign_in_hands_over_arrives_once_as_it_left() {
        let due = rekey_shared::SecurityInfoDue {
            register: true,
            skips_left: 2,
        };
        for ask in [
            Ask::Register {
                days_left: Some(13),
            },
            Ask::Register { days_left: None },
            Ask::RecoveryCodesLeft(0),
            Ask::SecurityInfo(due),
        ] {
            leave(Some(ask));
            assert_eq!(take(), Some(ask));
            assert_eq!(take(), None, "read once");
        }
        leave(Some(Ask::RecoveryCodesLeft(3)));
        leave(None);
        assert_eq!(take(), None, "a sign-in with no ask clears one left");
    }

    #[wasm_bindgen_test]
    fn a_handed_over_ask_that_does_not_read_is_none() {
        for token in [
            "",
            "register",
            "codes:x",
            "codes:1:2",
            "security:2:1",
            "register:-:1",
            "other:1",
        ] {
            assert_eq!(Ask::from_token(token), None, "{token}");
        }
    }
}
